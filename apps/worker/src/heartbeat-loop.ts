import type { WorkerTelemetry } from '@ablate/contracts';
import { pause } from './backoff.js';
import { describe, isWorkerNotFound, type SchedulerConnection } from './scheduler-connection.js';

export interface HeartbeatLoopOptions {
  connection: SchedulerConnection;
  /** Trials this agent is still running: only their leases are renewed. */
  running: () => string[];
  /** The scheduler answered that this trial must stop (cancelled, finished, or its lease lost). */
  stop: (trialId: string, reason: string) => void;
  log: (line: string) => void;
  /** The node's gauges and slots, sent with each beat (a failure to sample sends the beat without them). */
  telemetry?: () => Promise<WorkerTelemetry>;
}

/**
 * Heartbeats every `heartbeatIntervalMs` with the trials still running (and the node's telemetry), and stops the ones the
 * answer lists — also the fast path for a cancel, which otherwise waits for the next epoch report.
 * Failures while the scheduler is away are the connection's to log (once per outage).
 */
export class HeartbeatLoop {
  private readonly stopped = new AbortController();
  private loop: Promise<void> | null = null;
  private lastRefusal = '';

  constructor(private readonly o: HeartbeatLoopOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      await pause(this.o.connection.registration.heartbeatIntervalMs, this.stopped.signal);
      if (!this.stopped.signal.aborted) await this.beat();
    }
  }

  private async beat(): Promise<void> {
    const conn = this.o.connection;
    const workerId = conn.workerId;
    const trialIds = this.o.running();
    const telemetry = await this.o.telemetry?.().catch(() => undefined);
    try {
      const answer = await conn.api.heartbeat(workerId, { trialIds, ...(telemetry ? { telemetry } : {}) });
      conn.noteAnswer();
      this.lastRefusal = '';
      for (const id of answer.stop)
        if (trialIds.includes(id))
          this.o.stop(
            id,
            'the scheduler said stop in its heartbeat answer (cancelled, finished or lease lost)',
          );
    } catch (err) {
      if (conn.sortFailure(err)) return;
      if (isWorkerNotFound(err)) {
        // Its leases went with the registration: the next beat, under the new id, is told to stop them.
        await conn
          .reregister(workerId, this.stopped.signal)
          .catch((e: unknown) => this.o.log(`could not register again: ${describe(e)}`));
        return;
      }
      const message = describe(err);
      if (message !== this.lastRefusal) this.o.log(`heartbeat refused: ${message}`);
      this.lastRefusal = message;
    }
  }
}
