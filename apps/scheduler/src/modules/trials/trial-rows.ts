import type { TrialErrorCode, TrialStatus } from '@ablate/contracts';
import { SqlParams } from '../../database/transaction.js';
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
  'score_step',
  'backend',
  'error',
  'error_code',
  'status_reason',
  'configuration_key',
  'created_at',
  'started_at',
  'finished_at',
  'updated_at',
  'revision',
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
    scoreStep: (r.score_step as number | null) ?? null,
    backend: (r.backend as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    errorCode: (r.error_code as TrialErrorCode | null) ?? null,
    statusReason: (r.status_reason as string | null) ?? null,
    configurationKey: r.configuration_key as string,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    updatedAt: r.updated_at as Date,
    revision: r.revision as number,
  };
}

/** Metric points of one report, stored with the trial's new state in the same statement. */
export interface ReportPoints {
  step: number;
  metrics: Record<string, number>;
}

/** SET list writing every mutable field of `t` (all but its ids, index, params and key) and bumping its revision. */
export function trialSetClause(p: SqlParams, t: TrialRow): string {
  return [
    `status = ${p.add(t.status)}`,
    `attempt = ${p.add(t.attempt, 'int')}`,
    `lease_owner = ${p.add(t.leaseOwner, 'uuid')}`,
    `lease_expires_at = ${p.add(t.leaseExpiresAt, 'timestamptz')}`,
    `step = ${p.add(t.step, 'int')}`,
    `metrics = ${p.add(JSON.stringify(t.metrics), 'jsonb')}`,
    `score = ${p.add(t.score, 'float8')}`,
    `score_step = ${p.add(t.scoreStep ?? null, 'int')}`,
    `backend = ${p.add(t.backend)}`,
    `error = ${p.add(t.error)}`,
    `error_code = ${p.add(t.errorCode ?? null)}`,
    `status_reason = ${p.add(t.statusReason)}`,
    `started_at = ${p.add(t.startedAt, 'timestamptz')}`,
    `finished_at = ${p.add(t.finishedAt, 'timestamptz')}`,
    `updated_at = ${p.add(t.updatedAt, 'timestamptz')}`,
    'revision = revision + 1',
  ].join(', ');
}

/**
 * A data-modifying CTE (`points AS (...)`) inserting a report's metric points for trial `idParam`
 * when `condition` holds; a point already stored is ignored (the key is trial, name, step).
 */
export function pointsCte(
  p: SqlParams,
  idParam: string,
  points: ReportPoints,
  recordedAt: Date,
  condition = 'true',
): string {
  const names = Object.keys(points.metrics);
  return `points AS (
    INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
    SELECT ${idParam}, m.name, ${p.add(points.step, 'int')}, m.value, ${p.add(recordedAt, 'timestamptz')}
    FROM unnest(${p.add(names, 'text[]')}, ${p.add(
      names.map((n) => points.metrics[n]),
      'float8[]',
    )}) AS m(name, value)
    WHERE ${condition}
    ON CONFLICT DO NOTHING
  )`;
}

/** Writes the trial (the caller holds its row lock) and, when given, the report's points, in one statement. */
export function writeTrialStatement(t: TrialRow, points?: ReportPoints): { text: string; values: unknown[] } {
  const p = new SqlParams();
  const id = p.add(t.id, 'uuid');
  const update = `UPDATE trials SET ${trialSetClause(p, t)} WHERE id = ${id}`;
  if (!points || Object.keys(points.metrics).length === 0) return { text: update, values: p.values };
  return { text: `WITH ${pointsCte(p, id, points, t.updatedAt)} ${update}`, values: p.values };
}
