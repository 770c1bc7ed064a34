import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TrialStatus, configurationKey, type ArchivedEvent, type ArchivedPoint, type ArchivedSweep, type ArchivedTrial } from '@ablate/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../../database/transaction.js';
import type { ImportPlan } from './archive-plan.js';

/** A sweep as the archive holds it, straight from the database. */
export interface SweepRecord {
  sweep: ArchivedSweep;
  trials: ArchivedTrial[];
  events: ArchivedEvent[];
}

/** UTC with the microseconds PostgreSQL keeps, so an import → export round trip is exact. */
const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const TRIAL_CHUNK = 2_000;
const POINT_CHUNK = 20_000;

/** Reads a whole sweep for export and writes an imported one; raw SQL, since both move many rows. */
@Injectable()
export class ArchiveRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The sweep, its trials and their points, read in one snapshot (a running sweep exports consistently). */
  async readSweep(id: string): Promise<SweepRecord | null> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const [sweep] = await tx.query<ArchivedSweep[]>(
        `SELECT s.id, p.slug AS project, s.spec, s.status, ${utc('s.created_at')} AS "createdAt", ${utc('s.updated_at')} AS "updatedAt", ${utc('s.finished_at')} AS "finishedAt",
                s.reason, s.launched_by AS "launchedBy", s.max_trials AS "maxTrials", s.sweep_state AS "searchState"
           FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE s.id = $1`,
        [id],
      );
      if (!sweep) return null;
      const rows = await tx.query<(Omit<ArchivedTrial, 'points'> & { id: string })[]>(
        `SELECT id, index, params, status, attempt, step, metrics, score, score_step AS "scoreStep", backend, error, status_reason AS "statusReason", ${utc('created_at')} AS "createdAt", ${utc('started_at')} AS "startedAt",
                ${utc('finished_at')} AS "finishedAt", ${utc('updated_at')} AS "updatedAt"
           FROM trials WHERE sweep_id = $1 ORDER BY index`,
        [id],
      );
      const points = await tx.query<{ trialId: string; step: number; name: string; value: number; recordedAt: string }[]>(
        `SELECT mp.trial_id AS "trialId", mp.step, mp.name, mp.value, ${utc('mp.recorded_at')} AS "recordedAt"
           FROM metric_points mp JOIN trials t ON t.id = mp.trial_id WHERE t.sweep_id = $1 ORDER BY t.index, mp.step, mp.name COLLATE "C"`,
        [id],
      );
      const byTrial = new Map<string, ArchivedPoint[]>(rows.map((t) => [t.id, []]));
      for (const p of points) byTrial.get(p.trialId)?.push([p.step, p.name, p.value, p.recordedAt]);
      const trials = rows.map(({ id: trialId, ...t }) => ({ ...t, points: byTrial.get(trialId) ?? [] }));
      const events = await tx.query<ArchivedEvent[]>(
        `SELECT e.action, e.actor, t.index AS "trialIndex", e.detail, ${utc('e.at')} AS at
           FROM sweep_events e LEFT JOIN trials t ON t.id = e.trial_id WHERE e.sweep_id = $1 ORDER BY e.id`,
        [id],
      );
      return { sweep, trials, events };
    });
  }

  /** Stores the planned sweep with new ids, in one transaction: all of it or nothing. Returns the new sweep's id. */
  async insertImported(plan: ImportPlan): Promise<string> {
    return inTransaction(this.db, async (tx) => {
      await tx.query('INSERT INTO projects (slug) VALUES ($1) ON CONFLICT (slug) DO NOTHING', [plan.project]);
      const { spec, sweep, search } = plan;
      const [{ id: sweepId }] = await tx.query<[{ id: string }]>(
        `INSERT INTO sweeps (project_id, name, template, spec, metric_name, metric_goal, max_retries, status, trial_count, created_at, updated_at, finished_at,
                             reason, launched_by, method, sweep_state, max_trials, trial_budget, max_concurrent, max_failures, pruner)
         SELECT p.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17, $18, $19, $20, $21::jsonb FROM projects p WHERE p.slug = $1 RETURNING id`,
        [
          plan.project, spec.name, spec.template, spec, spec.metric.name, spec.metric.goal, spec.maxRetries, sweep.status, plan.trials.length, sweep.createdAt, sweep.updatedAt, sweep.finishedAt,
          sweep.reason, sweep.launchedBy, spec.method, search.state === null ? null : JSON.stringify(search.state), search.maxTrials, search.trialBudget,
          spec.maxConcurrent ?? null, spec.maxFailures ?? null, spec.pruner ? JSON.stringify(spec.pruner) : null,
        ],
      );
      const ids = new Map<number, string>();
      for (let i = 0; i < plan.trials.length; i += TRIAL_CHUNK) {
        for (const row of await this.insertTrials(tx, sweepId, plan.trials.slice(i, i + TRIAL_CHUNK))) ids.set(row.index, row.id);
      }
      await this.insertPoints(tx, plan.trials.flatMap((t) => t.points.map((p) => [ids.get(t.index)!, ...p] as const)));
      await this.insertEvents(tx, sweepId, plan.events, ids);
      await this.countTrials(tx, sweepId);
      return sweepId;
    });
  }

  private async insertTrials(tx: EntityManager, sweepId: string, trials: ArchivedTrial[]): Promise<{ id: string; index: number }[]> {
    const rows = trials.map(({ points: _points, ...t }) => ({ ...t, configurationKey: configurationKey(t.params) }));
    // One JSON document per chunk: jsonb_to_recordset turns it into typed rows in the database.
    return await tx.query<{ id: string; index: number }[]>(
      `INSERT INTO trials (sweep_id, index, params, status, attempt, step, metrics, score, score_step, backend, error, status_reason, configuration_key, created_at, started_at, finished_at, updated_at)
       SELECT $1, x.index, x.params, x.status, x.attempt, x.step, x.metrics, x.score, x."scoreStep", x.backend, x.error, x."statusReason", x."configurationKey", x."createdAt", x."startedAt", x."finishedAt", x."updatedAt"
         FROM jsonb_to_recordset($2::jsonb) AS x(index int, params jsonb, status text, attempt int, step int, metrics jsonb, score float8, "scoreStep" int, backend text, error text,
              "statusReason" text, "configurationKey" text, "createdAt" timestamptz, "startedAt" timestamptz, "finishedAt" timestamptz, "updatedAt" timestamptz)
       RETURNING id, index`,
      [sweepId, JSON.stringify(rows)],
    );
  }

  private async insertPoints(tx: EntityManager, points: (readonly [string, ...ArchivedPoint])[]): Promise<void> {
    for (let i = 0; i < points.length; i += POINT_CHUNK) {
      const chunk = points.slice(i, i + POINT_CHUNK);
      await tx.query(
        `INSERT INTO metric_points (trial_id, step, name, value, recorded_at)
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::float8[], $5::timestamptz[])`,
        [0, 1, 2, 3, 4].map((column) => chunk.map((p) => p[column])),
      );
    }
  }

  private async insertEvents(tx: EntityManager, sweepId: string, events: ArchivedEvent[], ids: Map<number, string>): Promise<void> {
    if (events.length === 0) return;
    await tx.query(
      `INSERT INTO sweep_events (sweep_id, trial_id, action, actor, detail, at)
       SELECT $1, (e.doc->>'trialId')::uuid, e.doc->>'action', e.doc->>'actor', e.doc->'detail', (e.doc->>'at')::timestamptz
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(doc, n) ORDER BY e.n`,
      [sweepId, JSON.stringify(events.map((e) => ({ ...e, trialId: e.trialIndex === null ? null : ids.get(e.trialIndex) })))],
    );
  }

  /** The per-status counters in the sweep row, counted once from the trials just stored. */
  private async countTrials(tx: EntityManager, sweepId: string): Promise<void> {
    const statuses = TrialStatus.options;
    await tx.query(
      `UPDATE sweeps SET ${statuses.map((s) => `${s}_count = c.${s}`).join(', ')}
         FROM (SELECT ${statuses.map((s) => `count(*) FILTER (WHERE status = '${s}') AS ${s}`).join(', ')} FROM trials WHERE sweep_id = $1) c
        WHERE sweeps.id = $1`,
      [sweepId],
    );
  }
}
