import type { LeaseRequest, LeasedTrial } from '@ablate/contracts';
import { Backoff, pause, type BackoffOptions } from './backoff.js';
import { describe, isWorkerNotFound, type NextLeaseDesk, type SchedulerConnection } from './scheduler-connection.js';
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
 * a slot to free up when all are taken, and polls while the queue is empty. A trial's completion
 * asks for the next trial itself (`NextLeaseDesk`): what it brings starts in the slot the trial
 * frees, without a lease call (zero-work trials: 3 calls per trial became 2).
 */
export class LeaseLoop implements NextLeaseDesk {
  private readonly running = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  /** Where each running trial runs (null: it had no slot and is being handed back). */
  private readonly placements = new Map<string, Placement | null>();
  /** Trials a completion's answer leased, by the trial whose slot they take once it has ended. */
  private readonly handedOver = new Map<string, LeasedTrial>();
  private stopped = false;

  constructor(private readonly o: LeaseLoopOptions) {}

  /** Resolves once stopped and every trial it started has ended. */
  async run(): Promise<void> {
    const { connection, pool, signal } = this.o;
    const backoff = new Backoff(this.o.backoff);
    connection.nextLeases = this;
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
      if (!this.start(trial)) await pause(this.o.pollIntervalMs, signal);
    }
    while (this.running.size > 0) await Promise.all(this.running);
    this.stopped = true;
    if (connection.nextLeases === this) connection.nextLeases = null;
  }

  askAfter(trialId: string): LeaseRequest | null {
    const placement = this.placements.get(trialId);
    if (this.o.signal.aborted || !placement) return null;
    const free = this.o.pool.free();
    // A GPU counts as free when it has a free share; the trial's GPUs gain one once it ends.
    const slots = this.o.pool.describe();
    const gpusFreed = placement.gpus.filter((g) => !slots.some((s) => s.trialId === null && s.gpus[0] === g)).length;
    return { freeGpus: free.freeGpus + gpusFreed, freeSlots: free.freeSlots + placement.slots.length };
  }

  leased(trialId: string, trial: LeasedTrial | null): void {
    if (!trial) return;
    if (this.placements.has(trialId)) this.handedOver.set(trialId, trial);
    // Its trial ended before the answer came (the agent gave up on the report): the slot is free now.
    else if (!this.stopped) this.start(trial);
    else this.o.log(`trial ${trial.id} was leased after this worker stopped; its lease will expire and requeue it`);
  }

  /** Starts a leased trial in the slots it needs; false when they were not free (it is handed back). */
  private start(trial: LeasedTrial): boolean {
    // The scheduler handed out what the request said fits; null only if that changed meanwhile.
    const placement = this.o.pool.take(trial.id, trial.gpus);
    if (!placement)
      this.o.log(`trial ${trial.id} needs ${trial.gpus} GPU(s), which are not free here; handing it back`);
    this.placements.set(trial.id, placement);
    this.track(trial.id, this.o.run(trial, placement), placement);
    return placement !== null;
  }

  private track(trialId: string, done: Promise<void>, placement: Placement | null): void {
    const settled = done
      .catch((err: unknown) => this.o.log(`a trial run failed unexpectedly: ${describe(err)}`))
      .finally(() => {
        if (placement) this.o.pool.release(placement);
        this.placements.delete(trialId);
        this.running.delete(settled);
        // The trial its completion leased takes the slot it freed, before the loop leases for it.
        const next = this.handedOver.get(trialId);
        this.handedOver.delete(trialId);
        if (next) this.start(next);
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
