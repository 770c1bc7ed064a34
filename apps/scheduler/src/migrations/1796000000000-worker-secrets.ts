import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each registration gets its own secret; only its SHA-256 is kept. Workers registered by the
 * previous release have none (NULL): their calls are refused with "register again", and the reaper
 * removes them once they are stale. The lease-owner index keeps that removal (its ON DELETE SET
 * NULL) and the "holds no live lease" check from scanning every trial.
 */
export class WorkerSecrets1796000000000 implements MigrationInterface {
  name = 'WorkerSecrets1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers ADD COLUMN secret_hash bytea`);
    await q.query(
      `CREATE INDEX trials_lease_owner_idx ON trials (lease_owner) WHERE lease_owner IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trials_lease_owner_idx`);
    await q.query(`ALTER TABLE workers DROP COLUMN secret_hash`);
  }
}
