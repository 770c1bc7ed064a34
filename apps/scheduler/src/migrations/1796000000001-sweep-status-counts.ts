import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = ['queued', 'leased', 'running', 'completed', 'pruned', 'failed', 'cancelled'] as const;

/**
 * Per-status trial counts kept in the sweep row, changed in the same transaction as every trial
 * status change, so reports, leases and sweep lists never count trial rows (a count per report
 * was most of a report's cost on a 10,000-trial sweep). Existing sweeps are counted once here.
 */
export class SweepStatusCounts1796000000001 implements MigrationInterface {
  name = 'SweepStatusCounts1796000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE sweeps ${STATUSES.map((s) => `ADD COLUMN ${s}_count int NOT NULL DEFAULT 0`).join(', ')}`,
    );
    await q.query(`
      UPDATE sweeps s SET ${STATUSES.map((st) => `${st}_count = c.${st}`).join(', ')}
      FROM (
        SELECT sweep_id, ${STATUSES.map((st) => `count(*) FILTER (WHERE status = '${st}') AS ${st}`).join(', ')}
        FROM trials GROUP BY sweep_id
      ) c
      WHERE c.sweep_id = s.id`);
    // Leasing locks the oldest live sweep with queued trials, then takes its queued trial of lowest index.
    await q.query(
      `CREATE INDEX sweeps_live_idx ON sweeps (created_at) WHERE status IN ('queued', 'running')`,
    );
    await q.query(`CREATE INDEX trials_sweep_queue_idx ON trials (sweep_id, index) WHERE status = 'queued'`);
    await q.query(`DROP INDEX trials_queue_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trials_queue_idx ON trials (created_at, index) WHERE status = 'queued'`);
    await q.query(`DROP INDEX trials_sweep_queue_idx`);
    await q.query(`DROP INDEX sweeps_live_idx`);
    await q.query(`ALTER TABLE sweeps ${STATUSES.map((s) => `DROP COLUMN ${s}_count`).join(', ')}`);
  }
}
