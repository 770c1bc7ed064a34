import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TrialStatus, ValidationIssue } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { inTransaction, sql } from '../../database/transaction.js';
import type { TrialRow } from '../trials/trial-rows.js';
import { TrialMoves, UNFINISHED } from '../trials/trial-moves.repository.js';
import { LockedSweep } from './locked-sweep.repository.js';
import type { Changes } from './sweep-changes.js';
import { SweepFollowUps } from './sweep-follow-up.repository.js';
import { checkSteering, type Steering } from './sweep-lifecycle.js';
import { SweepRefill } from './sweep-refill.repository.js';
import type { SweepHead } from './sweep-rows.js';

export type SteerOutcome =
  | { kind: 'not_found' }
  | { kind: 'refused'; head: SweepHead; why: string }
  | { kind: 'invalid'; issues: ValidationIssue[] }
  | { kind: 'trial_not_found' }
  | { kind: 'trial_finished'; status: TrialStatus }
  | { kind: 'done'; head: SweepHead; changes: Changes | null; trial?: TrialRow };

/** An action's work: a refusal, the trial it cancelled, or nothing. */
type Apply = (ls: LockedSweep) => Promise<Exclude<SteerOutcome, { kind: 'done' }> | TrialRow | undefined>;

/**
 * Steering: pause, resume, stop, cancel, raise the budget, cancel one trial. Each is one
 * transaction that locks the sweep row, checks the action against the sweep's status
 * (sweep-lifecycle.ts), applies it, records who did it, and runs the sweep's follow-up (a stop may
 * end the sweep at once; a raised budget proposes trials).
 */
@Injectable()
export class SweepSteeringRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly moves: TrialMoves,
    private readonly followUps: SweepFollowUps,
    private readonly refills: SweepRefill,
  ) {}

  pause(id: string, actor: string, now: Date): Promise<SteerOutcome> {
    return this.steer(id, 'pause', now, async (ls) => {
      await ls.setStatus('paused', `paused by ${actor}`);
      await ls.record({ action: 'paused', actor });
      return undefined;
    });
  }

  resume(id: string, actor: string, now: Date): Promise<SteerOutcome> {
    return this.steer(id, 'resume', now, async (ls) => {
      const started = ls.head.trialCount - ls.head.counts.queued > 0;
      await ls.setStatus(started ? 'running' : 'queued', null);
      await ls.record({ action: 'resumed', actor });
      return undefined;
    });
  }

  /** `stopping`: the follow-up cancels queued and paused trials, and completes the sweep once nothing runs. */
  stop(id: string, actor: string, now: Date): Promise<SteerOutcome> {
    return this.steer(id, 'stop', now, async (ls) => {
      await ls.setStatus('stopping', `stopped by ${actor}`);
      await ls.record({ action: 'stopped', actor });
      return undefined;
    });
  }

  cancel(id: string, actor: string, now: Date): Promise<SteerOutcome> {
    return this.steer(id, 'cancel', now, async (ls) => {
      const reason = `cancelled by ${actor}`;
      await ls.moved(await this.moves.cancelTrials(ls.tx, ls.id, UNFINISHED, reason, now), { decision: 'cancel', reason });
      await ls.setStatus('cancelled', reason);
      await ls.record({ action: 'cancelled', actor });
      return undefined;
    });
  }

  /** Raises `maxTrials` (never lowers it) and proposes the trials the new budget allows. */
  raiseMaxTrials(id: string, maxTrials: number, actor: string, now: Date): Promise<SteerOutcome> {
    return this.steer(id, 'raise', now, async (ls) => {
      const current = ls.head.maxTrials ?? ls.head.trialBudget;
      if (maxTrials < current) return { kind: 'invalid', issues: [{ path: 'maxTrials', message: `maxTrials may only grow: it is ${current} now` }] };
      if (maxTrials === current) return undefined;
      const issues = await this.refills.raise(ls, maxTrials);
      if (issues.length > 0) return { kind: 'invalid', issues };
      await ls.record({ action: 'max_trials_raised', actor, detail: { maxTrials: { from: current, to: maxTrials } } });
      await this.refills.refill(ls);
      return undefined;
    });
  }

  /** Cancels one unfinished trial; its worker, if one holds it, is told to stop. */
  async cancelTrial(trialId: string, actor: string, now: Date): Promise<SteerOutcome> {
    const [row] = await sql<{ sweep_id: string }>(this.db.manager, `SELECT sweep_id FROM trials WHERE id = $1`, [trialId]);
    if (!row) return { kind: 'trial_not_found' };
    return this.steer(row.sweep_id, 'cancel_trial', now, async (ls) => {
      const reason = `cancelled by ${actor}`;
      const moved = await this.moves.cancelTrial(ls.tx, ls.id, trialId, reason, now);
      if (!moved) {
        const [t] = await sql<{ status: TrialStatus }>(ls.tx, `SELECT status FROM trials WHERE id = $1`, [trialId]);
        return t ? { kind: 'trial_finished', status: t.status } : { kind: 'trial_not_found' };
      }
      await ls.moved([moved], { decision: 'cancel', reason });
      await ls.record({ action: 'trial_cancelled', actor, trialId, detail: { index: moved.trial.index } });
      return moved.trial;
    });
  }

  private async steer(id: string, action: Steering, now: Date, apply: Apply): Promise<SteerOutcome> {
    try {
      return await inTransaction(this.db, async (tx) => {
        const ls = await LockedSweep.lock(tx, id, now);
        if (!ls) return { kind: 'not_found' };
        const check = checkSteering(action, ls.head);
        if (check.kind === 'refused') return { kind: 'refused', head: ls.head, why: check.why };
        if (check.kind === 'noop') return { kind: 'done', head: ls.head, changes: null };
        const applied = await apply(ls);
        if (applied && 'kind' in applied) throw new Refusal(applied); // rolls back whatever it wrote
        await this.followUps.continue(ls);
        return { kind: 'done', head: ls.head, changes: ls.changes, trial: applied ?? undefined };
      });
    } catch (err) {
      if (err instanceof Refusal) return err.outcome;
      throw err;
    }
  }
}

/** An action refused after its transaction began: thrown to roll it back, then answered. */
class Refusal extends Error {
  constructor(readonly outcome: Exclude<SteerOutcome, { kind: 'done' }>) {
    super(outcome.kind);
  }
}
