import { Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { ApiError, ErrorCode, LIVE_NAMESPACE, type ApiErrorBody, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import type { Namespace, Socket } from 'socket.io';
import { SweepsService } from '../sweeps/sweeps.service.js';
import { LivePublisher, SWEEPS_ROOM, sweepRoom } from './live.publisher.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

function toErrorBody(err: unknown): ApiErrorBody {
  return err instanceof ApiError ? err.toBody() : { code: ErrorCode.Internal, message: 'Internal error' };
}

/**
 * Dashboards subscribe here. Each subscription answers with the current state in its ack, then
 * the client applies pushed `trial:updated` / `sweep:updated` events: pushed, never polled.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit {
  private readonly logger = new Logger(LiveGateway.name);

  constructor(
    private readonly sweeps: SweepsService,
    private readonly publisher: LivePublisher,
  ) {}

  afterInit(namespace: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    this.publisher.attach(namespace);
    // Handlers registered here (not with @SubscribeMessage) keep the ack callbacks fully typed.
    namespace.on('connection', (socket: LiveSocket) => this.bind(socket));
  }

  private bind(socket: LiveSocket): void {
    socket.on('sweeps:subscribe', (ack) => {
      void socket.join(SWEEPS_ROOM);
      this.sweeps.list().then(
        (data) => ack({ ok: true, data }),
        (err: unknown) => ack({ ok: false, error: toErrorBody(err) }),
      );
    });
    socket.on('sweep:subscribe', (sweepId, ack) => {
      if (typeof sweepId !== 'string' || typeof ack !== 'function') return;
      // Join before reading: an event between the read and the join would otherwise be lost.
      // Events that arrive before the ack are newer than or equal to the snapshot; clients apply
      // them on top of it.
      void socket.join(sweepRoom(sweepId));
      this.sweeps.getDetail(sweepId).then(
        (data) => ack({ ok: true, data }),
        (err: unknown) => {
          void socket.leave(sweepRoom(sweepId));
          if (!(err instanceof ApiError)) this.logger.error(err);
          ack({ ok: false, error: toErrorBody(err) });
        },
      );
    });
    socket.on('sweep:unsubscribe', (sweepId) => {
      if (typeof sweepId === 'string') void socket.leave(sweepRoom(sweepId));
    });
  }
}
