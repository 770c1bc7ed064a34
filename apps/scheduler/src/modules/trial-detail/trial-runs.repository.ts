import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SweepStatus, TrialDetail, TrialErrorCode, TrialRun, TrialRunOutcome } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { sql } from '../../database/transaction.js';
import { toTrialSummary } from '../trials/trial.mapper.js';
import { toTrialRow, trialColumns } from '../trials/trial-rows.js';

/** The trial page's reads: the trial with its sweep, and its runs (`trial_runs`, written by a trigger; see migration 050). */
@Injectable()
export class TrialRunsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The trial, its error code and its sweep's name, template, metric and status; null when there is no such trial. */
  async findTrialWithSweep(trialId: string): Promise<Omit<TrialDetail, 'runs' | 'checkpoint'> | null> {
    const rows = await sql(
      this.db.manager,
      `SELECT ${trialColumns('t')}, s.name AS sweep_name, s.template AS sweep_template, s.metric_name, s.metric_goal, s.status AS sweep_status
       FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE t.id = $1`,
      [trialId],
    );
    const r = rows[0];
    if (!r) return null;
    const trial = toTrialRow(r);
    return {
      trial: toTrialSummary(trial),
      errorCode: trial.errorCode ?? null,
      sweep: {
        id: trial.sweepId,
        name: r.sweep_name as string,
        template: r.sweep_template as string,
        metric: { name: r.metric_name as string, goal: r.metric_goal as 'minimize' | 'maximize' },
        status: r.sweep_status as SweepStatus,
      },
    };
  }

  /** Every lease of the trial, oldest first; the host is the run's, or the worker's current one for older rows. */
  async findRuns(trialId: string): Promise<TrialRun[]> {
    const rows = await sql(
      this.db.manager,
      `SELECT r.attempt, r.worker_id, COALESCE(r.host, w.host) AS host, r.started_at, r.ended_at, r.outcome, r.error_code, r.error
       FROM trial_runs r LEFT JOIN workers w ON w.id = r.worker_id WHERE r.trial_id = $1 ORDER BY r.id`,
      [trialId],
    );
    return rows.map((r) => ({
      attempt: r.attempt as number,
      workerId: (r.worker_id as string | null) ?? null,
      host: (r.host as string | null) ?? null,
      startedAt: (r.started_at as Date).toISOString(),
      endedAt: (r.ended_at as Date | null)?.toISOString() ?? null,
      outcome: (r.outcome as TrialRunOutcome | null) ?? null,
      errorCode: (r.error_code as TrialErrorCode | null) ?? null,
      error: (r.error as string | null) ?? null,
    }));
  }
}
