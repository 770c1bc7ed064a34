import type { TrialStatus } from '@ablate/contracts';
import type { TrialEntity } from './trial.entity.js';

/** A trial as the raw-SQL paths read it: the entity's fields, as a plain object. */
export type TrialRow = Omit<TrialEntity, 'sweep'>;

const COLUMNS = [
  'id',
  'sweep_id',
  'index',
  'params',
  'status',
  'attempt',
  'lease_owner',
  'lease_expires_at',
  'step',
  'metrics',
  'score',
  'backend',
  'error',
  'created_at',
  'started_at',
  'finished_at',
  'updated_at',
];

/** Every trial column, optionally prefixed with a table alias (`t.id, t.sweep_id, ...`). */
export function trialColumns(alias?: string): string {
  return alias ? COLUMNS.map((c) => `${alias}.${c}`).join(', ') : COLUMNS.join(', ');
}

/** A row of `trialColumns()` (pg already turns uuid, int, jsonb, float8 and timestamptz into JS values). */
export function toTrialRow(r: Record<string, unknown>): TrialRow {
  return {
    id: r.id as string,
    sweepId: r.sweep_id as string,
    index: r.index as number,
    params: r.params as Record<string, unknown>,
    status: r.status as TrialStatus,
    attempt: r.attempt as number,
    leaseOwner: (r.lease_owner as string | null) ?? null,
    leaseExpiresAt: (r.lease_expires_at as Date | null) ?? null,
    step: (r.step as number | null) ?? null,
    metrics: r.metrics as Record<string, number>,
    score: (r.score as number | null) ?? null,
    backend: (r.backend as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    updatedAt: r.updated_at as Date,
  };
}

/** Metric points of one report, stored with the trial's new state in the same statement. */
export interface ReportPoints {
  step: number;
  metrics: Record<string, number>;
}

/**
 * One statement that writes the trial's mutable fields and, when given, inserts the report's metric
 * points (a repeated point is ignored: the key is (trial, name, step)). One round trip instead of two.
 */
export function writeTrialStatement(t: TrialRow, points?: ReportPoints): { text: string; values: unknown[] } {
  const values: unknown[] = [
    t.id,
    t.status,
    t.attempt,
    t.leaseOwner,
    t.leaseExpiresAt,
    t.step,
    JSON.stringify(t.metrics),
    t.score,
    t.backend,
    t.error,
    t.startedAt,
    t.finishedAt,
    t.updatedAt,
  ];
  const update = `
    UPDATE trials SET status = $2, attempt = $3, lease_owner = $4, lease_expires_at = $5, step = $6, metrics = $7::jsonb,
      score = $8, backend = $9, error = $10, started_at = $11, finished_at = $12, updated_at = $13
    WHERE id = $1::uuid`;
  const names = points ? Object.keys(points.metrics) : [];
  if (!points || names.length === 0) return { text: update, values };
  const insert = `
    WITH points AS (
      INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
      SELECT $1::uuid, p.name, $14::int, p.value, $13::timestamptz FROM unnest($15::text[], $16::float8[]) AS p(name, value)
      ON CONFLICT DO NOTHING
    )`;
  return { text: insert + update, values: [...values, points.step, names, names.map((n) => points.metrics[n])] };
}
