import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the server-side leaderboard (`GET /api/sweeps/:id/leaderboard`). A page ranked by
 * score walks `(sweep_id, score)` from the best end (backwards for `maximize`) and stops after
 * `offset + limit` rows, so the top of a 10,000-trial sweep costs what the top of a 100-trial one
 * does. Unscored trials come after every scored one, by index; their own partial index keeps that
 * tail a range scan too, and a trial leaves it at its first scored report. A configuration's
 * single runs (`?config=<key>`) are found by `(sweep_id, configuration_key)` (the key is written
 * once, with the trial).
 *
 * Each index costs every report that moves a score one index entry; reports already renew the
 * indexed lease expiry, so none of them was a HOT update before either.
 */
export class LeaderboardIndex1796000000030 implements MigrationInterface {
  name = 'LeaderboardIndex1796000000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trials_sweep_score_idx ON trials (sweep_id, score) WHERE score IS NOT NULL`);
    await q.query(`CREATE INDEX trials_sweep_unscored_idx ON trials (sweep_id, index) WHERE score IS NULL`);
    await q.query(`CREATE INDEX trials_sweep_configuration_idx ON trials (sweep_id, configuration_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trials_sweep_configuration_idx`);
    await q.query(`DROP INDEX trials_sweep_unscored_idx`);
    await q.query(`DROP INDEX trials_sweep_score_idx`);
  }
}
