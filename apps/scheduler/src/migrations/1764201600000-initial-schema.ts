import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Projects, sweeps, trials, metric points and workers. */
export class InitialSchema1764201600000 implements MigrationInterface {
  name = 'InitialSchema1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sweeps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL,
        template text NOT NULL,
        spec jsonb NOT NULL,
        metric_name text NOT NULL,
        metric_goal text NOT NULL CHECK (metric_goal IN ('minimize', 'maximize')),
        max_retries int NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'cancelled')),
        trial_count int NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX sweeps_project_created_idx ON sweeps (project_id, created_at)`);
    await q.query(`
      CREATE TABLE workers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        host text NOT NULL,
        slots int NOT NULL,
        backends jsonb NOT NULL DEFAULT '[]',
        registered_at timestamptz NOT NULL,
        last_heartbeat_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE trials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sweep_id uuid NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
        index int NOT NULL,
        params jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'leased', 'running', 'completed', 'pruned', 'failed', 'cancelled')),
        attempt int NOT NULL DEFAULT 1,
        lease_owner uuid REFERENCES workers(id) ON DELETE SET NULL,
        lease_expires_at timestamptz,
        step int,
        metrics jsonb NOT NULL DEFAULT '{}',
        score double precision,
        backend text,
        error text,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX trials_sweep_index_uq ON trials (sweep_id, index)`);
    await q.query(`CREATE INDEX trials_queue_idx ON trials (created_at, index) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX trials_lease_expiry_idx ON trials (lease_expires_at) WHERE status IN ('leased', 'running')`);
    await q.query(`
      CREATE TABLE metric_points (
        trial_id uuid NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        name text NOT NULL,
        step int NOT NULL,
        value double precision NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (trial_id, name, step)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metric_points`);
    await q.query(`DROP TABLE trials`);
    await q.query(`DROP TABLE workers`);
    await q.query(`DROP TABLE sweeps`);
    await q.query(`DROP TABLE projects`);
  }
}
