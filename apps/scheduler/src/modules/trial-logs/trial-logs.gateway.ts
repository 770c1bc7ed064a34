import { Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { echo, LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type SubscribeResult } from '@ablate/contracts';
import type { Namespace, Socket } from 'socket.io';
import { logText, toApiError } from '../../common/to-api-error.js';
import { parseCall, type Ack } from '../live/live-calls.js';
import { TrialLogPublisher, trialLogRoom } from './trial-log.publisher.js';
import { TrialLogsService } from './trial-logs.service.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * `trial:subscribe` / `trial:unsubscribe` on `/live`, beside `LiveGateway` on the same namespace
 * (live-calls.ts validates both; unknown events are refused there). The ack carries the stored
 * tail; `trial:log` then pushes each batch as it is stored. Like every live handler, nothing a
 * client sends can throw out of here.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class TrialLogsGateway implements OnGatewayInit {
  private readonly logger = new Logger(TrialLogsGateway.name);

  constructor(
    private readonly logs: TrialLogsService,
    private readonly publisher: TrialLogPublisher,
  ) {}

  afterInit(namespace: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    this.publisher.attach(namespace);
    namespace.on('connection', (socket: LiveSocket) => this.bind(socket));
  }

  private bind(socket: LiveSocket): void {
    socket.on('trial:subscribe', (...raw: unknown[]) => {
      const call = parseCall('trial:subscribe', raw);
      if (!call.ok) return this.answer(socket, 'trial:subscribe', call.ack, { ok: false, error: call.error.toBody() });
      const [trialId] = call.args;
      // Join before reading: lines stored in between arrive as pushes, newer than the tail.
      void socket.join(trialLogRoom(trialId));
      this.logs.tail(trialId).then(
        (data) => this.answer(socket, 'trial:subscribe', call.ack, { ok: true, data }),
        (err: unknown) => {
          void socket.leave(trialLogRoom(trialId));
          const { error, log } = toApiError(err);
          if (log !== 'none') this.logger.error(`trial:subscribe: ${error.code}: ${logText(err, log)}`);
          this.answer(socket, 'trial:subscribe', call.ack, { ok: false, error: error.toBody() });
        },
      );
    });
    socket.on('trial:unsubscribe', (...raw: unknown[]) => {
      const call = parseCall('trial:unsubscribe', raw);
      if (!call.ok) return this.answer(socket, 'trial:unsubscribe', call.ack, { ok: false, error: call.error.toBody() });
      void socket.leave(trialLogRoom(call.args[0]));
      this.answer(socket, 'trial:unsubscribe', call.ack, { ok: true, data: null });
    });
  }

  /** Answers in the ack when there is one; a refusal without one goes out as `request:error`. */
  private answer(socket: LiveSocket, event: string, ack: Ack | undefined, result: SubscribeResult<unknown>): void {
    try {
      if (ack) ack(result);
      else if (!result.ok) socket.emit('request:error', { ...result.error, event: echo(event) });
    } catch (err) {
      this.logger.warn(`${event}: could not answer the client: ${logText(err, 'line')}`);
    }
  }
}
