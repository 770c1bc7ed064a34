import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sweeps that search, obey a budget and can be steered (issue 8):
 * - `paused_count`, beside the other per-status counts (ASHA pauses trials at a rung);
 * - statuses `paused`, `stopping` and `failed`, with `reason` (why) and `launched_by` (the actor
 *   of its `created` event, kept here so lists need no join);
 * - the search: `method`, `sweep_state` (the strategy's JSON state; NULL = its initial state:
 *   an existing grid gets `{ proposed: trial_count }`, an existing random or TPE sweep NULL), `max_trials` (the budget, raised by
 *   PATCH), `trial_budget` (trials the sweep makes in all: the budget, for a grid at most the grid);
 * - `max_concurrent` and `max_failures` as columns, because leasing and the counters read them in
 *   SQL, and `pruner` (the spec's, for the report path, which never reads the whole spec).
 * Existing sweeps keep every value; the new columns are filled from their spec. A random or TPE
 * sweep created before this release has no trials: its `trial_budget` is its `maxTrials`, and the
 * reaper's pass finds it (nothing open) and proposes its first trials.
 */
export class SweepSearchAndSteering1796000000010 implements MigrationInterface {
  name = 'SweepSearchAndSteering1796000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sweeps
      ADD COLUMN paused_count int NOT NULL DEFAULT 0,
      ADD COLUMN reason text,
      ADD COLUMN launched_by text,
      ADD COLUMN method text NOT NULL DEFAULT 'grid' CHECK (method IN ('grid', 'random', 'tpe')),
      ADD COLUMN sweep_state jsonb,
      ADD COLUMN max_trials int,
      ADD COLUMN trial_budget int,
      ADD COLUMN max_concurrent int,
      ADD COLUMN max_failures int,
      ADD COLUMN pruner jsonb`);
    await q.query(`UPDATE sweeps SET
      method = COALESCE(spec->>'method', 'grid'),
      max_trials = (spec->>'maxTrials')::int,
      trial_budget = CASE WHEN COALESCE(spec->>'method', 'grid') = 'grid' THEN trial_count ELSE COALESCE((spec->>'maxTrials')::int, trial_count) END,
      max_concurrent = (spec->>'maxConcurrent')::int,
      max_failures = (spec->>'maxFailures')::int,
      pruner = spec->'pruner'`);
    // A grid's state is the index of its next combination: every trial of an existing grid exists.
    await q.query(`UPDATE sweeps SET sweep_state = jsonb_build_object('proposed', trial_count, 'rng', '[]'::jsonb) WHERE method = 'grid'`);
    await q.query(`ALTER TABLE sweeps ALTER COLUMN trial_budget SET NOT NULL`);
    await q.query(`ALTER TABLE sweeps DROP CONSTRAINT sweeps_status_check`);
    await q.query(
      `ALTER TABLE sweeps ADD CONSTRAINT sweeps_status_check CHECK (status IN ('queued', 'running', 'paused', 'stopping', 'completed', 'failed', 'cancelled'))`,
    );
    // The reaper's pass looks for unfinished sweeps with nothing open (a follow-up a crash cut off).
    await q.query(
      `CREATE INDEX sweeps_unfinished_idx ON sweeps (created_at) WHERE status IN ('queued', 'running', 'paused', 'stopping')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sweeps_unfinished_idx`);
    await q.query(`ALTER TABLE sweeps DROP CONSTRAINT sweeps_status_check`);
    await q.query(
      `ALTER TABLE sweeps ADD CONSTRAINT sweeps_status_check CHECK (status IN ('queued', 'running', 'completed', 'cancelled'))`,
    );
    await q.query(`ALTER TABLE sweeps
      DROP COLUMN paused_count, DROP COLUMN reason, DROP COLUMN launched_by, DROP COLUMN method, DROP COLUMN sweep_state,
      DROP COLUMN max_trials, DROP COLUMN trial_budget, DROP COLUMN max_concurrent, DROP COLUMN max_failures, DROP COLUMN pruner`);
  }
}
