import { ApiClient, TrialStatus, type RankedTrial } from '@ablate/contracts';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startScheduler, type StartedScheduler } from '../src/bootstrap.js';
import { migrations, typeormOptions } from '../src/database/typeorm.options.js';
import { PREVIOUS_RELEASE_MIGRATIONS, ids, previousReleaseData, trialId } from './previous-release.fixture.js';

/**
 * Columns a migration changes on purpose (a backfill that rewrites values, a renamed column): name
 * them here with the migration, and the check below skips them from that migration on.
 */
const CHANGED_BY_DESIGN: Record<string, { table: string; column: string }[]> = {};

/** Each table's rows as JSON text of the given columns, sorted: equal snapshots mean equal data. */
async function rowsOf(client: pg.Client, table: string, columns: string[]): Promise<string[]> {
  const fields = columns.map((c) => `'${c}', ${client.escapeIdentifier(c)}`).join(', ');
  const { rows } = await client.query<{ row: string }>(`SELECT jsonb_build_object(${fields})::text AS row FROM ${client.escapeIdentifier(table)} ORDER BY 1`);
  return rows.map((r) => r.row);
}

/** Every table (TypeORM's bookkeeping aside) with its columns. */
async function schemaOf(client: pg.Client): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ table: string; column: string }>(
    `SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'migrations' ORDER BY c.table_name, c.ordinal_position`,
  );
  const schema = new Map<string, string[]>();
  for (const { table, column } of rows) schema.set(table, [...(schema.get(table) ?? []), column]);
  return schema;
}

/** A database owned by a role without superuser powers, like the embedded PostgreSQL's application role. */
async function ownDatabase(adminUrl: string): Promise<string> {
  const name = `ablate_migrations_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  Object.assign(url, { username: name, password, pathname: `/${name}` });
  return url.toString();
}

async function migrate(url: string, count: number): Promise<void> {
  const ds = new DataSource({ ...typeormOptions(url, false), migrations: migrations.slice(0, count) });
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
}

describe('migrations on a database filled by the previous release', () => {
  let url: string;
  let db: pg.Client;
  let before: Map<string, string[]>;
  const beforeRows = new Map<string, string[]>();
  let app: StartedScheduler | undefined;

  beforeAll(async () => {
    const baseline = migrations.slice(0, PREVIOUS_RELEASE_MIGRATIONS.length).map((m) => m.name);
    expect(baseline, 'the previous release\'s migrations must come first, in order').toEqual(PREVIOUS_RELEASE_MIGRATIONS);
    url = await ownDatabase(inject('pgAdminUrl'));
    await migrate(url, PREVIOUS_RELEASE_MIGRATIONS.length);
    db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(previousReleaseData());
    before = await schemaOf(db);
    for (const [table, columns] of before) beforeRows.set(table, await rowsOf(db, table, columns));
  });
  afterAll(async () => {
    await app?.app.close();
    await db?.end();
  });

  it('runs each later migration in turn, as a role without superuser powers, keeping every row and value', async () => {
    expect(beforeRows.get('trials')).toHaveLength(12);
    const skipped: { table: string; column: string }[] = [];
    for (let count = PREVIOUS_RELEASE_MIGRATIONS.length + 1; count <= migrations.length; count++) {
      const name = migrations[count - 1]!.name;
      await migrate(url, count);
      skipped.push(...(CHANGED_BY_DESIGN[name] ?? []));
      const after = await schemaOf(db);
      for (const [table, columns] of before) {
        const kept = columns.filter((c) => !skipped.some((s) => s.table === table && s.column === c));
        expect(after.get(table), `${name} dropped table ${table}`).toBeDefined();
        expect(kept.filter((c) => !after.get(table)!.includes(c)), `${name} dropped columns of ${table}; if on purpose, list them in CHANGED_BY_DESIGN`).toEqual([]);
        expect(normalize(await rowsOf(db, table, kept), kept), `${name} changed rows of ${table}`).toEqual(normalize(beforeRows.get(table)!, kept));
      }
    }
    // Per-status counters, where a migration keeps them in the sweep row, agree with the trials.
    const sweepColumns = (await schemaOf(db)).get('sweeps')!;
    for (const status of TrialStatus.options.filter((st) => sweepColumns.includes(`${st}_count`))) {
      const column = `${status}_count`;
      const { rows } = await db.query<{ wrong: number }>(
        `SELECT count(*)::int AS wrong FROM sweeps s WHERE ${column} <> (SELECT count(*) FROM trials t WHERE t.sweep_id = s.id AND t.status = $1)`,
        [status],
      );
      expect(rows[0]!.wrong, `${column} disagrees with the trials`).toBe(0);
    }
  });

  it('boots on the migrated database, reads the old sweeps and leases a queued trial', async () => {
    const token = 'migrations-test-worker-token';
    app = await startScheduler({ config: { databaseUrl: url, port: 0, host: '127.0.0.1', workerToken: token, leaseTtlMs: 60_000, corsOrigins: [] } }, ['error']);
    const user = new ApiClient({ baseUrl: app.url });
    const detail = await user.getSweep(ids.runningSweep);
    expect(detail.sweep).toMatchObject({ name: 'dropout x bn (running)', project: 'course', status: 'running', total: 6 });
    expect(detail.sweep.counts).toEqual({ queued: 1, leased: 1, running: 1, paused: 0, completed: 1, pruned: 1, failed: 1, cancelled: 0 });
    const byIndex = (i: number) => detail.trials.find((t) => t.index === i)!;
    expect(byIndex(0)).toMatchObject({ status: 'completed', rank: 1, score: 0.9871, step: 3, backend: 'wasm', metrics: { val_acc: 0.9871, val_loss: 0.0412, loss: 0.0356 } });
    expect(byIndex(4)).toMatchObject<Partial<RankedTrial>>({ status: 'failed', attempt: 3, error: 'Out of memory while allocating 1.2 GB for conv2d_1 (epoch 2) — "tensor too large"' });
    expect((await user.getTrialMetrics(trialId(ids.runningSweep, 0))).points).toHaveLength(9);
    expect((await user.listSweeps()).sweeps.map((s) => s.id).sort()).toEqual(Object.values(ids).filter((id) => id.startsWith('3')).sort());

    const reg = await new ApiClient({ baseUrl: app.url, token }).registerWorker({ host: 'after-upgrade', slots: 1, backends: ['wasm'] });
    const worker = new ApiClient({ baseUrl: app.url, token, worker: reg });
    const { trial } = await worker.leaseTrial(reg.workerId);
    const queued = [trialId(ids.queuedSweep, 0), trialId(ids.queuedSweep, 1), trialId(ids.runningSweep, 3)];
    expect(queued).toContain(trial?.id);
    const { rows } = await db.query<{ status: string; lease_owner: string }>('SELECT status, lease_owner FROM trials WHERE id = $1', [trial!.id]);
    expect(rows[0]).toEqual({ status: 'leased', lease_owner: reg.workerId });
  });
});

/** Rows reduced to `columns`, in one key order, sorted: comparable whatever columns were added since. */
function normalize(rows: string[], columns: string[]): string[] {
  return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c, (JSON.parse(r) as Record<string, unknown>)[c]])))).sort();
}
