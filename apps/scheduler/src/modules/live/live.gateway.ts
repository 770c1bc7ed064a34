import { Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { LIVE_NAMESPACE, SUBSCRIBE_TOP_TRIALS, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import type { Namespace } from 'socket.io';
import { LeaderboardService } from '../leaderboard/leaderboard.service.js';
import { SweepsService } from '../sweeps/sweeps.service.js';
import { WorkersService } from '../workers/workers.service.js';
import { isLiveEvent, unknownEvent, ackOf } from './live-calls.js';
import { answerLiveCall, handleLiveCall, type LiveSocket } from './live-handler.js';
import { LivePublisher, SWEEPS_ROOM, WORKERS_ROOM, sweepRoom } from './live.publisher.js';

/**
 * Dashboards subscribe here. Each subscription answers with the current state in its ack (for one
 * sweep: its summary, counts and top `SUBSCRIBE_TOP_TRIALS` trials), then
 * the client applies pushed `trial:updated` / `sweep:updated` events: pushed, never polled.
 *
 * Every client message is untrusted: its arguments are validated, its ack is used only when it is
 * a function, and every handler's failure is answered (in the ack, or with `request:error`) and
 * never thrown. One malformed `sweeps:subscribe` used to end the whole process.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit {
  private readonly logger = new Logger(LiveGateway.name);

  constructor(
    private readonly sweeps: SweepsService,
    private readonly leaderboard: LeaderboardService,
    private readonly publisher: LivePublisher,
    private readonly workers: WorkersService,
  ) {}

  afterInit(namespace: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    this.publisher.attach(namespace);
    namespace.on('connection', (socket: LiveSocket) => this.bind(socket));
  }

  private bind(socket: LiveSocket): void {
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (!isLiveEvent(event)) answerLiveCall(this.logger, socket, String(event), ackOf(args), { ok: false, error: unknownEvent(event).toBody() });
    });
    socket.on('sweeps:subscribe', (...raw: unknown[]) => {
      handleLiveCall(this.logger, socket, 'sweeps:subscribe', raw, () => {
        void socket.join(SWEEPS_ROOM);
        return { run: async () => (await this.sweeps.list()).sweeps, undo: () => void socket.leave(SWEEPS_ROOM) };
      });
    });
    socket.on('sweep:subscribe', (...raw: unknown[]) => {
      handleLiveCall(this.logger, socket, 'sweep:subscribe', raw, ([sweepId]) => {
        // Join before reading: an event between the read and the join would otherwise be lost.
        // Events that arrive before the ack are newer than or equal to the snapshot; clients apply
        // them on top of it. The ack carries the top of the leaderboard, not every trial: a
        // 10,000-trial sweep's full table was 4 MB per subscriber; clients page the rest over REST.
        void socket.join(sweepRoom(sweepId));
        return { run: () => this.leaderboard.snapshot(sweepId, SUBSCRIBE_TOP_TRIALS), undo: () => void socket.leave(sweepRoom(sweepId)) };
      });
    });
    socket.on('workers:subscribe', (...raw: unknown[]) => {
      handleLiveCall(this.logger, socket, 'workers:subscribe', raw, () => {
        void socket.join(WORKERS_ROOM);
        return { run: async () => (await this.workers.list()).workers, undo: () => void socket.leave(WORKERS_ROOM) };
      });
    });
    socket.on('sweep:unsubscribe', (...raw: unknown[]) => {
      handleLiveCall(this.logger, socket, 'sweep:unsubscribe', raw, ([sweepId]) => {
        void socket.leave(sweepRoom(sweepId));
        return { run: () => Promise.resolve(null) };
      });
    });
  }
}
