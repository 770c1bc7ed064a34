import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trial's log tail: the last lines its program printed and the agent's lines about it, per
 * attempt. Each batch a worker sends is inserted and the trial's oldest lines beyond the bounds
 * (TRIAL_LOG_MAX_LINES, TRIAL_LOG_MAX_BYTES) are deleted, so a trial keeps at most ~64 kB. The key
 * makes a retried batch store nothing twice; it is also the order the tail is read in.
 */
export class TrialLogs1796000000041 implements MigrationInterface {
  name = 'TrialLogs1796000000041';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trial_log_lines (
        trial_id uuid NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        seq bigint NOT NULL,
        stream text NOT NULL CHECK (stream IN ('stdout', 'stderr', 'agent')),
        line text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (trial_id, attempt, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trial_log_lines`);
  }
}
