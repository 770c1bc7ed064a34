import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FINISHED_TRIAL_STATUSES, type TrialReport, type ValidationIssue } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { SqlParams, inTransaction, sql } from '../../database/transaction.js';
import { Changes } from '../sweeps/sweep-changes.js';
import { countMoves, countsSetClause, sweepHeadColumns, toSweepHead, type SweepHead } from '../sweeps/sweep-rows.js';
import { readMedianPeers, stepBestCte, type StepBest } from './pruning.repository.js';
import { RecentTrials } from './recent-trials.js';
import { applyMedian, pruningStep, stepBestOf } from './report-pruning.js';
import { LockedReports, reportRules } from './locked-reports.repository.js';
import { pointsCte, toTrialRow, trialColumns, trialSetClause, type ReportPoints, type TrialRow } from './trial-rows.js';
import { decideReport, type ReportRejection, type ReportRules } from './trial-state.js';
import { KeyedLanes } from './lease-lane.js';
import { writeStatusBatch, type StatusWrite, type StatusWriteResult } from './status-write-batch.js';

export type ReportOutcome =
  | { kind: 'not_found' }
  | { kind: 'rejected'; reason: ReportRejection; statusReason: string | null }
  | { kind: 'implausible'; issues: ValidationIssue[] }
  | {
      kind: 'applied';
      /** The reporting trial as written. */
      trial: TrialRow;
      /** Everything the write changed (the trial, the sweep's head when its counts moved, promoted trials). */
      changes: Changes;
      /** The sweep after the report, present when a trial's status (so the sweep's counts) moved. */
      sweep?: SweepHead;
    };

export interface ReportCtx {
  now: Date;
  leaseExpiresAt: Date;
}

/** Reports that lose this many races in a row (many copies of one report at once) queue on the row locks instead. */
const OPTIMISTIC_ATTEMPTS = 4;

/**
 * Applies worker reports. A report reads its trial (no lock; from memory when this scheduler wrote
 * it last), decides in TypeScript (trial-state.ts) and writes in ONE statement that succeeds only
 * if the trial's revision is still the one it read; otherwise it reads again. No transaction stays open across round trips, so 50 workers on one
 * sweep do not queue behind each other: with a row lock held from read to commit, one sweep's
 * reports ran one at a time (186 reports/s, p99 356 ms) and waiting transactions held every pooled
 * connection. A report that changes the trial's status (first epoch, completed, failed, released,
 * pruned) also moves the sweep's counts: its statement locks the sweep row first, then writes the
 * trial, the points and the counts (the lock order every writer keeps: sweep, then trial).
 *
 * Pruning: a median sweep's report reads the peers' bests at its step first (one range read) and
 * writes its own best with the report; a report that crosses an ASHA rung takes the locked path
 * (`LockedReports`), since the rung's quota is shared by every trial arriving there.
 */
@Injectable()
export class ReportsRepository {
  private readonly recent = new RecentTrials();
  /** Status-changing writes of one sweep that queued while one ran go together (`statusWriteBatchStatement`). */
  private readonly statusWrites = new KeyedLanes<StatusWrite, StatusWriteResult>((sweepId, writes) => writeStatusBatch(this.db.manager, sweepId, writes));

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly locked: LockedReports,
  ) {}

  /** A trial this scheduler just leased, as the lease statement returned it: its first report skips the read. */
  rememberLeased(trial: TrialRow, sweep: SweepHead): void {
    this.recent.remember({ trial, rules: reportRules(sweep) });
  }

  async recordReport(trialId: string, report: TrialReport, ctx: ReportCtx): Promise<ReportOutcome> {
    let sweepId = '';
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const remembered = attempt === 0 ? this.recent.get(trialId) : undefined;
      const read = remembered ?? (await this.readTrial(trialId));
      if (!read) return { kind: 'not_found' };
      sweepId = read.trial.sweepId;
      const decision = decideReport(read.trial, report, read.rules, ctx);
      if (decision.kind !== 'apply') {
        if (remembered) continue; // confirm a refusal from the database, never from memory
        return decision;
      }
      const next = decision.next;
      const step = pruningStep(read.rules, read.trial, next, report);
      if (step.kind === 'asha') break;
      if (step.kind === 'median') applyMedian(read.rules, next, step, await readMedianPeers(this.db.manager, sweepId, step.step, trialId), ctx.now);
      const written = await this.writeIfUnchanged(read.trial, next, pointsOf(report), stepBestOf(read.rules, next, report), ctx.now);
      if (written) return this.applied(read, next, written);
      this.recent.forget(trialId);
    }
    this.recent.forget(trialId);
    return inTransaction(this.db, (tx) => this.locked.apply(tx, sweepId, trialId, report, ctx));
  }

  /**
   * A trial's last epoch report and its completion (a completion with `lastEpoch`) in ONE write
   * when they are at one step and the sweep has no pruner: the trial moves to completed once, so the
   * sweep's row is locked and its counts moved once instead of twice (the row every report of the
   * sweep takes turns on). Null when they must go one by one through `recordReport`: a pruner, two
   * steps, a refusal (answered, and confirmed, there) or a trial that changed since it was read.
   */
  async recordFolded(trialId: string, epoch: TrialReport, completion: TrialReport, ctx: ReportCtx): Promise<ReportOutcome | null> {
    if (epoch.type !== 'epoch' || completion.type !== 'completed' || epoch.step !== completion.step) return null;
    const read = this.recent.get(trialId) ?? (await this.readTrial(trialId));
    if (!read || read.rules.pruner) return null;
    const first = decideReport(read.trial, epoch, read.rules, ctx);
    if (first.kind !== 'apply') return null;
    const second = decideReport(first.next, completion, read.rules, ctx);
    if (second.kind !== 'apply') return null;
    // The epoch's values first, as when it was stored before the completion (a point is never replaced).
    const points = { step: completion.step, metrics: { ...completion.metrics, ...epoch.metrics } };
    const written = await this.writeIfUnchanged(read.trial, second.next, points, undefined, ctx.now);
    return written ? this.applied(read, second.next, written) : null;
  }

  /** The outcome of a write that went in: the trial at its new revision, kept for its next report while it runs. */
  private applied(read: { trial: TrialRow; rules: ReportRules }, next: TrialRow, written: { sweep?: SweepHead }): ReportOutcome {
    const trial = { ...next, revision: read.trial.revision + 1 };
    if (FINISHED_TRIAL_STATUSES.includes(trial.status) || trial.status === 'paused') this.recent.forget(trial.id);
    else this.recent.remember({ trial, rules: read.rules });
    const changes = new Changes().trial(trial);
    if (written.sweep) changes.sweep(written.sweep);
    return { kind: 'applied', trial, changes, sweep: written.sweep };
  }

  private async readTrial(trialId: string): Promise<{ trial: TrialRow; rules: ReportRules } | null> {
    const rows = await sql(
      this.db.manager,
      `SELECT ${trialColumns('t')}, s.template AS sweep_template, s.metric_name AS sweep_metric_name,
              s.metric_goal AS sweep_metric_goal, s.max_retries AS sweep_max_retries, s.pruner AS sweep_pruner
       FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE t.id = $1`,
      [trialId],
      { prepare: true },
    );
    const row = rows[0];
    if (!row) return null;
    const rules: ReportRules = {
      template: row.sweep_template as string,
      metric: { name: row.sweep_metric_name as string, goal: row.sweep_metric_goal as 'minimize' | 'maximize' },
      maxRetries: row.sweep_max_retries as number,
      pruner: (row.sweep_pruner as ReportRules['pruner']) ?? null,
    };
    return { trial: toTrialRow(row), rules };
  }

  /**
   * Writes `next` (and the points, and a median sweep's best at this step) if the trial is still at
   * `before.revision`; null when it is not. A status change also locks the sweep row (inside the
   * statement, before the trial's) and moves its counts, returning the new sweep head.
   */
  private async writeIfUnchanged(
    before: TrialRow,
    next: TrialRow,
    points: ReportPoints | undefined,
    best: StepBest | undefined,
    now: Date,
  ): Promise<{ sweep?: SweepHead } | null> {
    if (before.status !== next.status && !best) {
      const result = await this.statusWrites.run(next.sweepId, { before, next, points, now });
      if (result instanceof Error) throw result;
      return result;
    }
    const p = new SqlParams();
    const id = p.add(next.id, 'uuid');
    const moves = before.status === next.status ? null : countMoves([{ from: before.status, to: next.status }]);
    const ctes: string[] = [];
    if (moves) ctes.push(`s AS MATERIALIZED (SELECT id FROM sweeps WHERE id = ${p.add(next.sweepId, 'uuid')} FOR UPDATE)`);
    const sweepLocked = moves ? ' AND sweep_id = (SELECT id FROM s)' : '';
    ctes.push(
      `t AS (UPDATE trials SET ${trialSetClause(p, next)} WHERE id = ${id} AND revision = ${p.add(before.revision, 'int')}${sweepLocked} RETURNING id, sweep_id)`,
    );
    if (points && Object.keys(points.metrics).length > 0) ctes.push(pointsCte(p, id, points, now, 'EXISTS (SELECT 1 FROM t)'));
    if (best) ctes.push(stepBestCte(p, id, best, 'EXISTS (SELECT 1 FROM t)'));
    if (moves) {
      ctes.push(`c AS (UPDATE sweeps sw SET ${countsSetClause('sw', moves, p.add(now, 'timestamptz'))}
        FROM projects p WHERE sw.id IN (SELECT sweep_id FROM t) AND p.id = sw.project_id RETURNING ${sweepHeadColumns('sw', 'sweep_')})`);
    }
    const text = `WITH ${ctes.join(',\n')} SELECT (SELECT count(*) FROM t)::int AS written${moves ? ', c.*' : ''} FROM (SELECT 1) one${moves ? ' LEFT JOIN c ON true' : ''}`;
    const [row] = await sql(this.db.manager, text, p.values, { prepare: true });
    if (!row || row.written !== 1) return null;
    return moves ? { sweep: toSweepHead(row, 'sweep_') } : {};
  }
}

export function pointsOf(report: TrialReport): ReportPoints | undefined {
  return report.type === 'epoch' || report.type === 'completed' ? { step: report.step, metrics: report.metrics } : undefined;
}
