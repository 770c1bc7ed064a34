import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../database/transaction.js';
import { settleAsha } from '../search/index.js';
import { readRungs, writeRung } from '../trials/pruning.repository.js';
import { TrialMoves, UNFINISHED } from '../trials/trial-moves.repository.js';
import { TrialsRepository } from '../trials/trials.repository.js';
import { LockedSweep } from './locked-sweep.repository.js';
import { Changes } from './sweep-changes.js';
import { SCHEDULER_ACTOR } from './sweep-events.repository.js';
import { failureReason, finishOutcome, nextFollowUpStep, type FollowUpProgress } from './sweep-lifecycle.js';
import { SweepRefill } from './sweep-refill.repository.js';

/** Steps one follow-up may take; each one promotes, prunes, cancels or finishes, so far fewer are ever needed. */
const MAX_STEPS = 10_000;

/**
 * A sweep's follow-up: what must happen after a change, under the sweep's row lock, until nothing
 * is left to do (`nextFollowUpStep` decides; this applies). Fails a sweep past `maxFailures`,
 * cancels what a stopping sweep will never run, proposes trials, settles ASHA's paused trials, and
 * completes or fails a sweep with nothing left. Steering actions run it inside their own
 * transaction; reports, expiries and imports in one of its own, after their write.
 */
@Injectable()
export class SweepFollowUps {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly trials: TrialsRepository,
    private readonly moves: TrialMoves,
    private readonly refills: SweepRefill,
  ) {}

  /** Locks the sweep and runs its follow-up; returns what changed (nothing for a sweep that needs none). */
  run(sweepId: string, now: Date): Promise<Changes> {
    return inTransaction(this.db, async (tx) => {
      const ls = await LockedSweep.lock(tx, sweepId, now);
      if (!ls) return new Changes();
      await this.continue(ls);
      return ls.changes;
    });
  }

  /** Runs the follow-up on a sweep the caller has locked. */
  async continue(ls: LockedSweep): Promise<void> {
    const progress: FollowUpProgress = { refilled: false, ashaStalled: false };
    for (let i = 0; i < MAX_STEPS; i++) {
      const step = nextFollowUpStep(ls.head, progress);
      switch (step) {
        case 'done':
          return;
        case 'fail':
          await this.fail(ls);
          break;
        case 'cancel_leftovers':
          await ls.moved(await this.moves.cancelTrials(ls.tx, ls.id, ['queued', 'paused'], `not run: the sweep is stopping (${ls.head.reason ?? 'stopped'})`, ls.now));
          break;
        case 'refill':
          await this.refills.refill(ls);
          progress.refilled = true;
          break;
        case 'settle_asha':
          progress.ashaStalled = !(await this.settleAsha(ls));
          break;
        case 'prune_paused':
          await this.prunePaused(ls);
          break;
        case 'finish':
          await this.finish(ls);
          break;
      }
    }
    throw new Error(`The follow-up of sweep ${ls.id} did not settle in ${MAX_STEPS} steps.`);
  }

  private async fail(ls: LockedSweep): Promise<void> {
    const reason = failureReason(ls.head, await this.trials.findCommonError(ls.tx, ls.id));
    await ls.moved(await this.moves.cancelTrials(ls.tx, ls.id, UNFINISHED, `the sweep failed: ${reason}`, ls.now), { decision: 'cancel', reason });
    await ls.setStatus('failed', reason);
    await ls.record({ action: 'failed', actor: SCHEDULER_ACTOR, detail: { reason } });
  }

  private async finish(ls: LockedSweep): Promise<void> {
    const allFailed = ls.head.trialCount > 0 && ls.head.counts.failed === ls.head.trialCount;
    const outcome = finishOutcome(ls.head, allFailed ? await this.trials.findCommonError(ls.tx, ls.id) : null);
    await ls.setStatus(outcome.status, outcome.reason);
    await ls.record({ action: outcome.status, actor: SCHEDULER_ACTOR, detail: outcome.reason ? { reason: outcome.reason } : {} });
  }

  /** settleAsha over every rung; false when it moved nothing (no rung holds the paused trials). */
  private async settleAsha(ls: LockedSweep): Promise<boolean> {
    const pruner = ls.head.pruner;
    if (pruner?.type !== 'asha') return false;
    const rungs = await readRungs(ls.tx, ls.id);
    const out = settleAsha(pruner, { name: ls.head.metricName, goal: ls.head.metricGoal }, rungs);
    for (const [k, after] of out.rungs.entries()) await writeRung(ls.tx, ls.id, k, rungs[k] ?? [], after);
    const moved = await this.moves.movePaused(
      ls.tx,
      [...out.promote.map((trialId) => ({ trialId, to: 'queued' as const, reason: null })), ...out.prune.map((p) => ({ trialId: p.trialId, to: 'pruned' as const, reason: p.reason }))],
      ls.now,
    );
    await ls.moved(moved);
    return moved.length > 0;
  }

  /** Paused trials no rung promotes: they end pruned. */
  private async prunePaused(ls: LockedSweep): Promise<void> {
    const paused = await this.moves.findPausedIds(ls.tx, ls.id);
    const reason = 'pruned: it waited at a rung that can promote no more trials';
    await ls.moved(await this.moves.movePaused(ls.tx, paused.map((trialId) => ({ trialId, to: 'pruned' as const, reason })), ls.now));
  }
}
