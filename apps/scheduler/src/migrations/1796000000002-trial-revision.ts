import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter bumped by every write that changes a trial's state. A report reads the trial without a
 * lock, decides in TypeScript, and writes with `WHERE revision = <read>`: one statement, no
 * transaction held open across round trips; a report that lost a race reads again.
 */
export class TrialRevision1796000000002 implements MigrationInterface {
  name = 'TrialRevision1796000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trials ADD COLUMN revision int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trials DROP COLUMN revision`);
  }
}
