import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `trial_runs`: one row per lease of a trial (which worker ran which attempt, when, how it
 * ended), for the trial page. A trigger writes it from the trials row itself, so every path that
 * moves a lease (batched leasing, reports, the reaper, cancel, prune, ASHA's pause) is recorded
 * in the same transaction without each one remembering to. It fires only when `lease_owner` or
 * `status` changes: an epoch report or a heartbeat (neither changes them) costs nothing more.
 * `trials.error_code` keeps the typed code of the trial's last failure (`TrialErrorCode`).
 */
export class TrialRuns1796000000050 implements MigrationInterface {
  name = 'TrialRuns1796000000050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trials ADD COLUMN error_code text`);
    await q.query(`
      CREATE TABLE trial_runs (
        id bigserial PRIMARY KEY,
        trial_id uuid NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        worker_id uuid,
        host text,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        outcome text,
        error_code text,
        error text
      )`);
    await q.query(`CREATE INDEX trial_runs_trial_idx ON trial_runs (trial_id, id)`);
    await q.query(`
      CREATE FUNCTION record_trial_run() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.lease_owner IS NOT NULL
           AND (NEW.lease_owner IS DISTINCT FROM OLD.lease_owner OR NEW.status NOT IN ('leased', 'running')) THEN
          UPDATE trial_runs SET
            ended_at = NEW.updated_at,
            outcome = CASE
              WHEN NEW.status IN ('completed', 'failed', 'cancelled', 'pruned', 'paused') THEN NEW.status
              WHEN NEW.status = 'queued' AND NEW.attempt > OLD.attempt THEN 'retried'
              WHEN NEW.status = 'queued' THEN 'released'
              ELSE 'moved' END,
            error_code = CASE WHEN NEW.status = 'failed' OR NEW.attempt > OLD.attempt THEN NEW.error_code END,
            error = CASE WHEN NEW.status IN ('failed', 'queued') THEN NEW.error END
          WHERE trial_id = NEW.id AND ended_at IS NULL;
        END IF;
        IF NEW.lease_owner IS NOT NULL AND NEW.lease_owner IS DISTINCT FROM OLD.lease_owner THEN
          INSERT INTO trial_runs (trial_id, attempt, worker_id, host, started_at)
          VALUES (NEW.id, NEW.attempt, NEW.lease_owner, (SELECT host FROM workers WHERE id = NEW.lease_owner), NEW.updated_at);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trials_record_run AFTER UPDATE OF lease_owner, status ON trials
      FOR EACH ROW WHEN (OLD.lease_owner IS DISTINCT FROM NEW.lease_owner OR OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION record_trial_run()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trials_record_run ON trials`);
    await q.query(`DROP FUNCTION record_trial_run()`);
    await q.query(`DROP TABLE trial_runs`);
    await q.query(`ALTER TABLE trials DROP COLUMN error_code`);
  }
}
