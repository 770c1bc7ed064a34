import type { SweepStatus, TrialStatus, TrialStopOrder } from '@ablate/contracts';
import type { EntityManager } from 'typeorm';
import { SqlParams, sql } from '../../database/transaction.js';
import type { TrialRow } from '../trials/trial-rows.js';
import { insertSweepEvent, type NewSweepEvent } from './sweep-events.repository.js';
import { Changes } from './sweep-changes.js';
import { lockSweepHead, shiftCounts } from './sweep-head.repository.js';
import { FINISHED_SWEEP_STATUSES } from './sweep-lifecycle.js';
import { SWEEP_HEAD_COLUMNS, countMoves, toSweepHead, type CountMoves, type SweepHead } from './sweep-rows.js';

/** A trial a statement moved: its row now, its status and lease owner before. */
export interface MovedTrial {
  trial: TrialRow;
  from: TrialStatus;
  owner: string | null;
}

/**
 * A transaction that holds one sweep's row (taken first: the lock order), with what it changed so
 * far for the publisher. Every write that changes trial statuses or the sweep's own status goes
 * through one, so the counts, the events and the pushes cannot drift apart.
 */
export class LockedSweep {
  readonly changes = new Changes();

  private constructor(
    readonly tx: EntityManager,
    public head: SweepHead,
    readonly now: Date,
  ) {}

  /** Locks the sweep row; null when there is no such sweep. */
  static async lock(tx: EntityManager, sweepId: string, now: Date): Promise<LockedSweep | null> {
    const head = await lockSweepHead(tx, sweepId);
    return head ? new LockedSweep(tx, head, now) : null;
  }

  get id(): string {
    return this.head.id;
  }

  /**
   * Trials a statement moved to other statuses: moves the counts and notes each trial; with `stop`,
   * also a stop order for each one a worker held (except `reporter`, whose answer says it).
   */
  async moved(rows: readonly MovedTrial[], stop?: Omit<TrialStopOrder, 'trialId'>, reporter?: string): Promise<void> {
    for (const r of rows) {
      this.changes.trial(r.trial);
      if (stop) this.changes.stopIfHeld(r.trial.id, r.from, r.owner, { ...stop, reason: r.trial.statusReason ?? stop.reason }, reporter);
    }
    await this.shift(countMoves(rows.map((r) => ({ from: r.from, to: r.trial.status }))));
  }

  /** Applies count moves (none: nothing written). */
  async shift(moves: CountMoves): Promise<void> {
    if (Object.values(moves).every((n) => !n)) return;
    this.head = await shiftCounts(this.tx, this.id, moves, this.now);
    this.changes.sweep(this.head);
  }

  /** Sets the sweep's status and reason; a finished status stamps `finished_at`. */
  async setStatus(status: SweepStatus, reason: string | null): Promise<void> {
    const finished = FINISHED_SWEEP_STATUSES.includes(status);
    await this.update(`status = $2, reason = $3, finished_at = $4`, [status, reason, finished ? this.now : null]);
  }

  /** Adds `n` queued trials the caller inserted, and the search state that proposed them. */
  async addTrials(n: number, sweepState: unknown): Promise<void> {
    await this.update(`trial_count = s.trial_count + $2, queued_count = s.queued_count + $2, sweep_state = $3::jsonb`, [n, JSON.stringify(sweepState)]);
  }

  /** A new budget: `max_trials` and the trials it makes in all. */
  async setBudget(maxTrials: number, trialBudget: number): Promise<void> {
    await this.update(`max_trials = $2, trial_budget = $3`, [maxTrials, trialBudget]);
  }

  /** Records an event (who and when) and notes it for the publisher. */
  async record(event: NewSweepEvent): Promise<void> {
    this.changes.event(await insertSweepEvent(this.tx, this.id, event, this.now));
  }

  /** `set` uses $2... for `values`; `updated_at` is stamped with the transaction's time. */
  private async update(set: string, values: unknown[]): Promise<void> {
    const p = new SqlParams();
    p.add(this.id, 'uuid');
    values.forEach((v) => p.add(v));
    const now = p.add(this.now, 'timestamptz');
    const rows = await sql(
      this.tx,
      `UPDATE sweeps s SET ${set}, updated_at = ${now} FROM projects p WHERE s.id = $1 AND p.id = s.project_id RETURNING ${SWEEP_HEAD_COLUMNS}`,
      p.values,
    );
    this.head = toSweepHead(rows[0]!);
    this.changes.sweep(this.head);
  }
}
