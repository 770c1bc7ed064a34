import { ApiClient } from '@ablate/contracts';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startScheduler, type StartedScheduler } from '../src/bootstrap.js';
import { ensureDatabase } from '../src/database/embedded-postgres.js';
import { migrations, typeormOptions } from '../src/database/typeorm.options.js';
import { InitialSchema1764201600000 } from '../src/migrations/1764201600000-initial-schema.js';
import { TEST_WORKER_TOKEN } from '../src/testing/index.js';

const STATUSES = ['queued', 'leased', 'running', 'completed', 'pruned', 'failed', 'cancelled'];

/** A database at the first release's schema, with a sweep in every trial status and a worker without a secret. */
async function seedPreviousRelease(url: string): Promise<{ sweepId: string; workerId: string }> {
  const ds = new DataSource({ ...typeormOptions(url, false), migrations: [InitialSchema1764201600000] });
  await ds.initialize();
  await ds.runMigrations();
  const [{ id: projectId }] = await ds.query<[{ id: string }]>(
    `INSERT INTO projects (slug) VALUES ('old') RETURNING id`,
  );
  const [{ id: sweepId }] = await ds.query<[{ id: string }]>(
    `INSERT INTO sweeps (project_id, name, template, spec, metric_name, metric_goal, max_retries, status, trial_count, created_at, updated_at)
     VALUES ($1, 'old', 'mnist-cnn', '{"project":"old"}', 'val_acc', 'maximize', 1, 'running', 10, now(), now()) RETURNING id`,
    [projectId],
  );
  const [{ id: workerId }] = await ds.query<[{ id: string }]>(
    `INSERT INTO workers (host, slots, registered_at, last_heartbeat_at) VALUES ('old', 1, now(), now()) RETURNING id`,
  );
  // 10 trials: statuses cycle, so queued, leased and running appear twice.
  for (let i = 0; i < 10; i++) {
    const status = STATUSES[i % STATUSES.length]!;
    const live = status === 'leased' || status === 'running';
    await ds.query(
      `INSERT INTO trials (sweep_id, index, params, status, lease_owner, lease_expires_at, created_at, updated_at) VALUES ($1, $2, '{}', $3, $4, $5, now(), now())`,
      [sweepId, i, status, live ? workerId : null, live ? new Date(Date.now() + 60_000) : null],
    );
  }
  await ds.destroy();
  return { sweepId, workerId };
}

describe('migrations on a database of the previous release', () => {
  let url: string;
  let seeded: { sweepId: string; workerId: string };
  let scheduler: StartedScheduler | undefined;
  beforeAll(async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `ablate_test_mig_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    seeded = await seedPreviousRelease(url);
  });
  afterAll(async () => scheduler?.app.close());

  it('counts every existing sweep into its new per-status columns, and old workers must register again', async () => {
    const ds = new DataSource({ ...typeormOptions(url, false), migrations });
    await ds.initialize();
    expect((await ds.runMigrations()).length).toBe(migrations.length - 1);
    await ds.destroy();

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<Record<string, number>>(
      `SELECT ${STATUSES.map((s) => `${s}_count`).join(', ')} FROM sweeps WHERE id = $1`,
      [seeded.sweepId],
    );
    await db.end();
    expect(rows[0]).toEqual({
      queued_count: 2,
      leased_count: 2,
      running_count: 2,
      completed_count: 1,
      pruned_count: 1,
      failed_count: 1,
      cancelled_count: 1,
    });

    scheduler = await startScheduler(
      {
        config: {
          databaseUrl: url,
          port: 0,
          host: '127.0.0.1',
          workerToken: TEST_WORKER_TOKEN,
          leaseTtlMs: 60_000,
          corsOrigins: [],
          migrate: true,
        },
      },
      ['error'],
    );
    const old = new ApiClient({
      baseUrl: scheduler.url,
      token: TEST_WORKER_TOKEN,
      worker: { workerId: seeded.workerId, workerSecret: 'anything' },
    });
    await expect(old.heartbeat(seeded.workerId, { trialIds: [] })).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('register again') as string,
    });
    const { sweeps } = await new ApiClient({ baseUrl: scheduler.url }).listSweeps();
    expect(sweeps.find((x) => x.id === seeded.sweepId)?.counts).toMatchObject({
      queued: 2,
      leased: 2,
      running: 2,
    });
  });
});
