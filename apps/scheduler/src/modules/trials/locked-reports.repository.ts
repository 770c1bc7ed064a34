import { Injectable } from '@nestjs/common';
import type { TrialReport } from '@ablate/contracts';
import type { EntityManager } from 'typeorm';
import { SqlParams, sql } from '../../database/transaction.js';
import { LockedSweep, type MovedTrial } from '../sweeps/locked-sweep.repository.js';
import type { SweepHead } from '../sweeps/sweep-rows.js';
import { readMedianPeers, readRungs, stepBestCte, writeRung } from './pruning.repository.js';
import { applyAsha, applyMedian, pruningStep, stepBestOf } from './report-pruning.js';
import type { ReportCtx, ReportOutcome } from './reports.repository.js';
import { toTrialRow, trialColumns, writeTrialStatement, type TrialRow } from './trial-rows.js';
import { decideReport, type ReportRules } from './trial-state.js';
import { TrialMoves } from './trial-moves.repository.js';

/** The rules a sweep sets for its trials' reports, from its locked head. */
export function reportRules(head: SweepHead): ReportRules {
  return { template: head.template, metric: { name: head.metricName, goal: head.metricGoal }, maxRetries: head.maxRetries, pruner: head.pruner };
}

/**
 * Reports applied with the sweep row and the trial row held to commit: a report that crosses an
 * ASHA rung (the rung's quota is shared, so its arrivals take turns; a crossing is rare, a few per
 * trial), and the path of last resort for a trial many copies of one report race on. The trial is
 * decided again under the locks, so a copy that lost the race changes nothing.
 */
@Injectable()
export class LockedReports {
  constructor(private readonly moves: TrialMoves) {}

  async apply(tx: EntityManager, sweepId: string, trialId: string, report: TrialReport, ctx: ReportCtx): Promise<ReportOutcome> {
    const sweep = await LockedSweep.lock(tx, sweepId, ctx.now);
    const rows = sweep ? await sql(tx, `SELECT ${trialColumns()} FROM trials WHERE id = $1 FOR UPDATE`, [trialId]) : [];
    if (!sweep || !rows[0]) return { kind: 'not_found' };
    const trial = toTrialRow(rows[0]);
    const rules = reportRules(sweep.head);
    const decision = decideReport(trial, report, rules, ctx);
    if (decision.kind !== 'apply') return decision;
    const next = decision.next;
    const step = pruningStep(rules, trial, next, report);
    let promoted: MovedTrial[] = [];
    if (step.kind === 'median') applyMedian(rules, next, step, await readMedianPeers(tx, sweepId, step.step, trialId), ctx.now);
    // A stopping sweep starts nothing new: no trial waits at a rung there, and none is promoted.
    if (step.kind === 'asha' && sweep.head.status !== 'stopping') {
      const before = (await readRungs(tx, sweepId, step.rung))[step.rung] ?? [];
      const out = applyAsha(rules, next, step.rung, before, report.type === 'completed', ctx.now);
      await writeRung(tx, sweepId, step.rung, before, out.rung);
      promoted = await this.moves.movePaused(tx, out.promote.map((id) => ({ trialId: id, to: 'queued', reason: null })), ctx.now);
    }
    await this.write(tx, next, report, rules);
    const written: TrialRow = { ...next, revision: trial.revision + 1 };
    await sweep.moved([{ trial: written, from: trial.status, owner: trial.leaseOwner }]);
    await sweep.moved(promoted);
    const statusMoved = trial.status !== written.status || promoted.length > 0;
    return { kind: 'applied', trial: written, changes: sweep.changes.trial(written), sweep: statusMoved ? sweep.head : undefined };
  }

  /** The trial, its points and (median) its best at this step. */
  private async write(tx: EntityManager, next: TrialRow, report: TrialReport, rules: ReportRules): Promise<void> {
    const points = report.type === 'epoch' || report.type === 'completed' ? { step: report.step, metrics: report.metrics } : undefined;
    const { text, values } = writeTrialStatement(next, points);
    await sql(tx, text, values);
    const best = stepBestOf(rules, next, report);
    if (!best) return;
    const p = new SqlParams();
    const cte = stepBestCte(p, p.add(next.id, 'uuid'), best);
    await sql(tx, `WITH ${cte} SELECT 1`, p.values);
  }
}
