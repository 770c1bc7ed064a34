import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the pruners read, so that a report never scans metric points:
 * - `trial_step_bests` (median): each trial's best value of the sweep's metric so far, at every
 *   step it reported; a report reads the others' rows at its step (one index range, O(peers)).
 * - `asha_rungs` (ASHA): a row per trial and rung it reached, with its value and whether it was
 *   promoted, waits there paused, or stopped; a report that crosses a rung reads that rung.
 */
export class PrunerState1796000000013 implements MigrationInterface {
  name = 'PrunerState1796000000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trial_step_bests (
        sweep_id uuid NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
        step int NOT NULL,
        trial_id uuid NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        best double precision NOT NULL,
        PRIMARY KEY (sweep_id, step, trial_id)
      )`);
    await q.query(`
      CREATE TABLE asha_rungs (
        sweep_id uuid NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
        rung int NOT NULL,
        trial_id uuid NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        value double precision NOT NULL,
        status text NOT NULL CHECK (status IN ('promoted', 'paused', 'stopped')),
        PRIMARY KEY (sweep_id, rung, trial_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE asha_rungs`);
    await q.query(`DROP TABLE trial_step_bests`);
  }
}
