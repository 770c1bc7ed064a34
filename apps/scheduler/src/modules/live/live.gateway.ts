import { Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import { echo, LIVE_NAMESPACE, SUBSCRIBE_TOP_TRIALS, type ApiError, type ClientToServerEvents, type ServerToClientEvents, type SubscribeResult } from '@ablate/contracts';
import type { Namespace, Socket } from 'socket.io';
import { logText, toApiError } from '../../common/to-api-error.js';
import { LeaderboardService } from '../leaderboard/leaderboard.service.js';
import { SweepsService } from '../sweeps/sweeps.service.js';
import { WorkersService } from '../workers/workers.service.js';
import { isLiveEvent, parseCall, unknownEvent, ackOf, type Ack, type LiveArgs, type LiveEvent } from './live-calls.js';
import { LivePublisher, SWEEPS_ROOM, WORKERS_ROOM, sweepRoom } from './live.publisher.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

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
      if (!isLiveEvent(event)) this.answer(socket, String(event), ackOf(args), { ok: false, error: unknownEvent(event).toBody() });
    });
    socket.on('sweeps:subscribe', (...raw: unknown[]) => {
      this.handle(socket, 'sweeps:subscribe', raw, () => {
        void socket.join(SWEEPS_ROOM);
        return { run: async () => (await this.sweeps.list()).sweeps, undo: () => void socket.leave(SWEEPS_ROOM) };
      });
    });
    socket.on('sweep:subscribe', (...raw: unknown[]) => {
      this.handle(socket, 'sweep:subscribe', raw, ([sweepId]) => {
        // Join before reading: an event between the read and the join would otherwise be lost.
        // Events that arrive before the ack are newer than or equal to the snapshot; clients apply
        // them on top of it. The ack carries the top of the leaderboard, not every trial: a
        // 10,000-trial sweep's full table was 4 MB per subscriber; clients page the rest over REST.
        void socket.join(sweepRoom(sweepId));
        return { run: () => this.leaderboard.snapshot(sweepId, SUBSCRIBE_TOP_TRIALS), undo: () => void socket.leave(sweepRoom(sweepId)) };
      });
    });
    socket.on('workers:subscribe', (...raw: unknown[]) => {
      this.handle(socket, 'workers:subscribe', raw, () => {
        void socket.join(WORKERS_ROOM);
        return { run: async () => (await this.workers.list()).workers, undo: () => void socket.leave(WORKERS_ROOM) };
      });
    });
    socket.on('sweep:unsubscribe', (...raw: unknown[]) => {
      this.handle(socket, 'sweep:unsubscribe', raw, ([sweepId]) => {
        void socket.leave(sweepRoom(sweepId));
        return { run: () => Promise.resolve(null) };
      });
    });
  }

  /**
   * Validates a call, starts its work and answers its outcome. `start` runs only for valid calls;
   * what it returns runs once, and `undo` reverts its side effects when the work fails.
   */
  private handle<E extends LiveEvent>(
    socket: LiveSocket,
    event: E,
    raw: unknown[],
    start: (args: LiveArgs<E>) => { run: () => Promise<unknown>; undo?: () => void },
  ): void {
    const call = parseCall(event, raw);
    if (!call.ok) return this.answer(socket, event, call.ack, { ok: false, error: call.error.toBody() });
    let work: ReturnType<typeof start>;
    try {
      work = start(call.args);
    } catch (err) {
      return this.fail(socket, event, call.ack, err);
    }
    void Promise.resolve()
      .then(() => work.run())
      .then(
        (data) => this.answer(socket, event, call.ack, { ok: true, data }),
        (err: unknown) => {
          work.undo?.();
          this.fail(socket, event, call.ack, err);
        },
      )
      .catch((err: unknown) => this.logger.error(`${event}: ${logText(err, 'stack')}`));
  }

  private fail(socket: LiveSocket, event: string, ack: Ack | undefined, err: unknown): void {
    const { error, log } = toApiError(err);
    this.logFailure(event, error, err, log);
    this.answer(socket, event, ack, { ok: false, error: error.toBody() });
  }

  private logFailure(event: string, error: ApiError, err: unknown, log: ReturnType<typeof toApiError>['log']): void {
    if (log === 'stack') this.logger.error(`${event}: ${logText(err, log)}`);
    if (log === 'line') this.logger.error(`${event}: ${error.code}: ${logText(err, log)}`);
  }

  /** Answers in the ack when there is one; a refusal without one goes out as `request:error`. */
  private answer(socket: LiveSocket, event: string, ack: Ack | undefined, result: SubscribeResult<unknown>): void {
    try {
      if (ack) ack(result);
      else if (!result.ok) socket.emit('request:error', { ...result.error, event: echo(event) });
    } catch (err) {
      // A socket closed mid-answer has no one to tell; the process must not go down for it.
      this.logger.warn(`${echo(event)}: could not answer the client: ${logText(err, 'line')}`);
    }
  }
}
