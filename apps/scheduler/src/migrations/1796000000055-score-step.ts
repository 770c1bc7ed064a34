import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `trials.score_step`: the step (epoch) the trial's score comes from. Training keeps that epoch's
 * weights and measures the final metrics (test_acc) on them, so the leaderboard can say which
 * epoch a row's numbers belong to. Null without a score, and for rows scored before it existed.
 */
export class ScoreStep1796000000055 implements MigrationInterface {
  name = 'ScoreStep1796000000055';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trials ADD COLUMN score_step int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trials DROP COLUMN score_step`);
  }
}
