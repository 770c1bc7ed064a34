import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workers.version`: the agent's release it registered with (NULL for agents before the field), so
 * the workers page shows which nodes run an older agent when a cluster is upgraded node by node.
 */
export class WorkerVersion1796000000061 implements MigrationInterface {
  name = 'WorkerVersion1796000000061';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers ADD COLUMN version text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers DROP COLUMN version`);
  }
}
