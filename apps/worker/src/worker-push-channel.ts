import {
  ErrorCode,
  TrialStopOrder,
  WORKERS_NAMESPACE,
  type WorkerClientToServerEvents,
  type WorkerServerToClientEvents,
  type WorkerSocketAuth,
} from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { Backoff, type BackoffOptions } from './backoff.js';
import { describe, type SchedulerConnection } from './scheduler-connection.js';

export interface WorkerPushChannelOptions {
  apiUrl: string;
  /** The pool token (ABLATE_WORKER_TOKEN). */
  token: string;
  /** Its registration is the identity the handshake proves; a new registration reconnects. */
  connection: SchedulerConnection;
  /** A stop decision for one of this worker's trials arrived. */
  onStop: (order: TrialStopOrder) => void;
  log: (line: string) => void;
  /** Delays between handshakes the scheduler refused (default 0.5 s doubling to 10 s). */
  backoff?: BackoffOptions;
}

/**
 * The worker's end of `/workers`: the scheduler pushes `trial:stop` here, so a cancel or a prune
 * stops training within a second rather than at the next epoch report. It is a fast path only:
 * report answers and heartbeats still carry every stop, so a lost connection delays a stop but
 * never loses it. socket.io reconnects after network failures on its own; a handshake the
 * scheduler refused (e.g. it forgot this worker) is retried here with backoff, and every handshake
 * reads the current registration, so after registering again the channel proves the new identity.
 */
export class WorkerPushChannel {
  private socket: Socket<WorkerServerToClientEvents, WorkerClientToServerEvents> | null = null;
  private readonly backoff: Backoff;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private lastProblem = '';
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: WorkerPushChannelOptions) {
    this.backoff = new Backoff(o.backoff);
  }

  /** True while the handshake has been accepted and the connection is up. */
  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  start(): void {
    if (this.socket || this.closed) return;
    const socket: Socket<WorkerServerToClientEvents, WorkerClientToServerEvents> = io(
      new URL(WORKERS_NAMESPACE, this.o.apiUrl).toString(),
      {
        transports: ['websocket'],
        forceNew: true,
        // A function, so every (re)connection sends the registration current at that moment.
        auth: (send) => send(this.credentials()),
        reconnectionDelay: 500,
        reconnectionDelayMax: 10_000,
      },
    );
    this.socket = socket;
    socket.on('connect', () => {
      this.backoff.reset();
      this.report(`push channel ${WORKERS_NAMESPACE} connected: stop decisions arrive as they are made`);
    });
    socket.on('connect_error', (err: Error & { data?: { code?: unknown } }) => this.refused(err));
    socket.on('disconnect', (reason) => {
      if (this.closed || reason === 'io client disconnect') return; // we closed it (or re-authenticate)
      this.report(
        `push channel lost (${reason}); reconnecting (stops still arrive with reports and heartbeats)`,
      );
      // The server ended it (e.g. on shutdown): socket.io leaves reconnecting to us.
      if (reason === 'io server disconnect') this.reconnectLater();
    });
    socket.on('trial:stop', (raw: unknown) => {
      const order = TrialStopOrder.safeParse(raw);
      if (!order.success)
        return this.report(
          `push channel: ignored a trial:stop that is not a TrialStopOrder (${order.error.issues[0]?.message ?? ''})`,
        );
      this.o.onStop(order.data);
    });
    this.unsubscribe = this.o.connection.onRegistered(() => {
      // The old identity's room gets no more orders: prove the new one.
      socket.disconnect();
      if (!this.closed) socket.connect();
    });
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.unsubscribe?.();
    this.socket?.disconnect();
  }

  private credentials(): WorkerSocketAuth {
    const reg = this.o.connection.registration;
    return { token: this.o.token, worker: `${reg.workerId}:${reg.workerSecret}` };
  }

  /** A failed handshake. Network failures socket.io retries itself (`active`); refusals are ours to retry. */
  private refused(err: Error & { data?: { code?: unknown } }): void {
    if (this.socket?.active) return this.report(`push channel cannot connect (${describe(err)}); retrying`);
    this.report(`push channel refused by the scheduler: ${err.message}`);
    if (err.data?.code === ErrorCode.WorkerNotFound) {
      void this.o.connection.reregister(this.o.connection.workerId).catch(() => undefined);
    }
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      // `active`: connected or socket.io already reconnecting; a refused socket is neither.
      if (!this.closed && this.socket && !this.socket.active) this.socket.connect();
    }, this.backoff.next());
    this.retry.unref();
  }

  /** Logs a line unless it repeats the previous one (a scheduler away for minutes is one line, not hundreds). */
  private report(line: string): void {
    if (line === this.lastProblem) return;
    this.lastProblem = line;
    this.o.log(line);
  }
}
