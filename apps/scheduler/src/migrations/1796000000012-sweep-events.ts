import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every steering action and life-cycle change of a sweep, with who and when (`GET
 * /api/sweeps/:id/events`, pushed as `sweep:event`). `id` orders them; `actor` is the
 * `X-Ablate-Actor` a client sent with its address, or "scheduler" for automatic changes.
 */
export class SweepEvents1796000000012 implements MigrationInterface {
  name = 'SweepEvents1796000000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sweep_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sweep_id uuid NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
        trial_id uuid REFERENCES trials(id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('created', 'paused', 'resumed', 'stopped', 'cancelled', 'trial_cancelled', 'max_trials_raised', 'completed', 'failed')),
        actor text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sweep_events_sweep_idx ON sweep_events (sweep_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sweep_events`);
  }
}
