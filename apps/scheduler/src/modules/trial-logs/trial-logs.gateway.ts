import { Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import type { Namespace } from 'socket.io';
import { handleLiveCall, type LiveSocket } from '../live/live-handler.js';
import { TrialLogPublisher, trialLogRoom } from './trial-log.publisher.js';
import { TrialLogsService } from './trial-logs.service.js';

/**
 * `trial:subscribe` / `trial:unsubscribe` on `/live`, beside `LiveGateway` on the same namespace
 * (live-calls.ts validates both; unknown events are refused there). The ack carries the stored
 * tail; `trial:log` then pushes each batch as it is stored. Like every live handler, nothing a
 * client sends can throw out of here (`handleLiveCall`).
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
      handleLiveCall(this.logger, socket, 'trial:subscribe', raw, ([trialId]) => {
        // Join before reading: lines stored in between arrive as pushes, newer than the tail.
        void socket.join(trialLogRoom(trialId));
        return { run: () => this.logs.tail(trialId), undo: () => void socket.leave(trialLogRoom(trialId)) };
      });
    });
    socket.on('trial:unsubscribe', (...raw: unknown[]) => {
      handleLiveCall(this.logger, socket, 'trial:unsubscribe', raw, ([trialId]) => {
        void socket.leave(trialLogRoom(trialId));
        return { run: () => Promise.resolve(null) };
      });
    });
  }
}
