import { configurationKey } from '@ablate/contracts';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const BATCH = 5_000;

/**
 * Trials for issue 8: status `paused` (ASHA keeps a trial at a rung, checkpoint and all),
 * `status_reason` (why it is paused, pruned or cancelled) and `configuration_key`
 * (`configurationKey(params)`: its params without `seed`), so the leaderboard groups a
 * configuration's repeats with a GROUP BY on a column instead of parsing params. Existing trials
 * get their key here, computed by the same function the scheduler uses (PostgreSQL's jsonb text
 * is not JSON.stringify's), in batches by id.
 */
export class TrialStatusReasonAndConfiguration1796000000011 implements MigrationInterface {
  name = 'TrialStatusReasonAndConfiguration1796000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trials ADD COLUMN status_reason text, ADD COLUMN configuration_key text`);
    await q.query(`ALTER TABLE trials DROP CONSTRAINT trials_status_check`);
    await q.query(
      `ALTER TABLE trials ADD CONSTRAINT trials_status_check CHECK (status IN ('queued', 'leased', 'running', 'paused', 'completed', 'pruned', 'failed', 'cancelled'))`,
    );
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows = (await q.query(`SELECT id, params FROM trials WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after])) as {
        id: string;
        params: Record<string, unknown>;
      }[];
      if (rows.length === 0) break;
      await q.query(
        `UPDATE trials t SET configuration_key = k.key FROM unnest($1::uuid[], $2::text[]) AS k(id, key) WHERE t.id = k.id`,
        [rows.map((r) => r.id), rows.map((r) => configurationKey(r.params))],
      );
      after = rows.at(-1)!.id;
    }
    await q.query(`ALTER TABLE trials ALTER COLUMN configuration_key SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trials DROP CONSTRAINT trials_status_check`);
    await q.query(
      `ALTER TABLE trials ADD CONSTRAINT trials_status_check CHECK (status IN ('queued', 'leased', 'running', 'completed', 'pruned', 'failed', 'cancelled'))`,
    );
    await q.query(`ALTER TABLE trials DROP COLUMN status_reason, DROP COLUMN configuration_key`);
  }
}
