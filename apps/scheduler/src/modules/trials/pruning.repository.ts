import type { EntityManager } from 'typeorm';
import { SqlParams, sql } from '../../database/transaction.js';
import type { RungEntry } from '../search/index.js';

/*
 * The pruners' state, so a report never scans metric points (docs/search.md):
 * `trial_step_bests` for the median pruner, `asha_rungs` for ASHA.
 */

/** A trial's best value of the sweep's metric so far, at the step it just reported. */
export interface StepBest {
  sweepId: string;
  step: number;
  best: number;
}

/**
 * A data-modifying CTE (`bests AS (...)`) recording the reporting trial's best so far at its step,
 * when `condition` holds (the report's write succeeded); a repeated report changes nothing.
 */
export function stepBestCte(p: SqlParams, trialIdParam: string, best: StepBest, condition = 'true'): string {
  return `bests AS (
    INSERT INTO trial_step_bests (sweep_id, step, trial_id, best)
    SELECT ${p.add(best.sweepId, 'uuid')}, ${p.add(best.step, 'int')}, ${trialIdParam}, ${p.add(best.best, 'float8')} WHERE ${condition}
    ON CONFLICT DO NOTHING
  )`;
}

/** The other trials' best values at `step` (median pruner): one index range of the primary key, O(peers). */
export async function readMedianPeers(tx: EntityManager, sweepId: string, step: number, trialId: string): Promise<number[]> {
  const rows = await sql<{ best: number }>(tx, `SELECT best FROM trial_step_bests WHERE sweep_id = $1 AND step = $2 AND trial_id <> $3`, [sweepId, step, trialId]);
  return rows.map((r) => r.best);
}

/**
 * The rungs of a sweep (`rung` given: only that one), index = rung. An entry still `paused` whose
 * trial is no longer paused (cancelled, or requeued by an import) reads as `stopped`, so a
 * promotion never goes to a trial that cannot resume.
 */
export async function readRungs(tx: EntityManager, sweepId: string, rung?: number): Promise<RungEntry[][]> {
  const rows = await sql<{ rung: number; trial_id: string; value: number; status: RungEntry['status'] }>(
    tx,
    `SELECT r.rung, r.trial_id, r.value, CASE WHEN r.status = 'paused' AND t.status <> 'paused' THEN 'stopped' ELSE r.status END AS status
       FROM asha_rungs r JOIN trials t ON t.id = r.trial_id
      WHERE r.sweep_id = $1 AND ($2::int IS NULL OR r.rung = $2) ORDER BY r.rung, r.trial_id`,
    [sweepId, rung ?? null],
  );
  const rungs: RungEntry[][] = [];
  for (const r of rows) (rungs[r.rung] ??= []).push({ trialId: r.trial_id, value: r.value, status: r.status });
  for (let k = 0; k < rungs.length; k++) rungs[k] ??= [];
  return rungs;
}

/** Writes the entries of rung `rung` that are new or whose status changed since `before`. */
export async function writeRung(tx: EntityManager, sweepId: string, rung: number, before: readonly RungEntry[], after: readonly RungEntry[]): Promise<void> {
  const was = new Map(before.map((e) => [e.trialId, e.status]));
  const changed = after.filter((e) => was.get(e.trialId) !== e.status);
  if (changed.length === 0) return;
  await sql(
    tx,
    `INSERT INTO asha_rungs (sweep_id, rung, trial_id, value, status)
     SELECT $1, $2, x.trial_id, x.value, x.status FROM unnest($3::uuid[], $4::float8[], $5::text[]) AS x(trial_id, value, status)
     ON CONFLICT (sweep_id, rung, trial_id) DO UPDATE SET status = excluded.status`,
    [sweepId, rung, changed.map((e) => e.trialId), changed.map((e) => e.value), changed.map((e) => e.status)],
  );
}
