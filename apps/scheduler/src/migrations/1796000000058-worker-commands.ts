import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workers.commands`: whether the worker runs command trials (its `ABLATE_ALLOW_COMMANDS` allows some
 * program). Leasing hands a command sweep's trials only to workers that do, instead of letting one
 * that cannot burn their retries with `command_not_allowed`. Rows from before: true, as they were
 * treated.
 */
export class WorkerCommands1796000000058 implements MigrationInterface {
  name = 'WorkerCommands1796000000058';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers ADD COLUMN commands boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers DROP COLUMN commands`);
  }
}
