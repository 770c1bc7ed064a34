import type { LeasedTrial } from '@ablate/contracts';
import { Backoff, pause, type BackoffOptions } from './backoff.js';
import { describe, isWorkerNotFound, type SchedulerConnection } from './scheduler-connection.js';
import type { Placement, SlotPool } from './slots/slot-pool.js';

export interface LeaseLoopOptions {
  connection: SchedulerConnection;
  pool: SlotPool;
  /** Runs a leased trial in its placement; resolves when it has ended and been reported. */
  run: (trial: LeasedTrial, placement: Placement | null) => Promise<void>;
  pollIntervalMs: number;
  backoff?: BackoffOptions | undefined;
  /** Aborted when the agent stops: no more leases. */
  signal: AbortSignal;
  log: (line: string) => void;
}

/**
 * Keeps every slot busy: leases one trial per free slot, telling the scheduler what the node can
 * hold now (free GPUs, free slots), starts it without waiting for it, and leases again; waits for
 * a slot to free up when all are taken, and polls while the queue is empty.
 */
export class LeaseLoop {
  private readonly running = new Set<Promise<void>>();
  private wake: (() => void) | null = null;

  constructor(private readonly o: LeaseLoopOptions) {}

  /** Resolves once stopped and every trial it started has ended. */
  async run(): Promise<void> {
    const { connection, pool, signal } = this.o;
    const backoff = new Backoff(this.o.backoff);
    while (!signal.aborted) {
      const free = pool.free();
      if (free.freeSlots === 0) {
        await this.slotFreed();
        continue;
      }
      const workerId = connection.workerId;
      let trial: LeasedTrial | null;
      try {
        trial = (await connection.api.leaseTrial(workerId, free)).trial;
        connection.noteAnswer();
        backoff.reset();
      } catch (err) {
        if (!connection.sortFailure(err)) {
          if (isWorkerNotFound(err)) await connection.reregister(workerId, signal).catch(() => undefined);
          else this.o.log(`lease refused: ${describe(err)}`);
        }
        await pause(backoff.next(), signal);
        continue;
      }
      if (!trial) {
        await pause(this.o.pollIntervalMs, signal);
        continue;
      }
      // The scheduler handed out what the request said fits; null only if that changed meanwhile.
      const placement = pool.take(trial.id, trial.gpus);
      if (!placement)
        this.o.log(`trial ${trial.id} needs ${trial.gpus} GPU(s), which are not free here; handing it back`);
      this.track(this.o.run(trial, placement), placement);
      if (!placement) await pause(this.o.pollIntervalMs, signal);
    }
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private track(done: Promise<void>, placement: Placement | null): void {
    const settled = done
      .catch((err: unknown) => this.o.log(`a trial run failed unexpectedly: ${describe(err)}`))
      .finally(() => {
        if (placement) this.o.pool.release(placement);
        this.running.delete(settled);
        this.wake?.();
      });
    this.running.add(settled);
  }

  private slotFreed(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wake = null;
        this.o.signal.removeEventListener('abort', done);
        resolve();
      };
      this.wake = done;
      this.o.signal.addEventListener('abort', done, { once: true });
    });
  }
}
