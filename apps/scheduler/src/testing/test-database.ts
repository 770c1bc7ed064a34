import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ensureDatabase, startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { typeormOptions } from '../database/typeorm.options.js';

export const TEMPLATE_DB = 'ablate_test_template';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * One PostgreSQL per test run: the embedded server in a temp folder, or the server of
 * DATABASE_URL when set. Migrates a template database once; each test file clones it.
 * Returns the admin URL and a teardown.
 */
export async function startTestPostgres(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  let adminUrl: string;
  let stopServer: () => Promise<void> = () => Promise.resolve();
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-test-pg-'));
    await chmod(dir, 0o755); // as root, PostgreSQL runs as the user `postgres`, which must enter it
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
    // The superuser: `CREATE DATABASE ... TEMPLATE` needs it (the application role cannot create databases).
    adminUrl = server.adminUrlFor('postgres');
    stopServer = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.end();
  await ensureDatabase(adminUrl, TEMPLATE_DB);
  const ds = new DataSource(typeormOptions(withDatabase(adminUrl, TEMPLATE_DB), false));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  return { adminUrl, stop: stopServer };
}

/** A fresh database cloned from the migrated template; its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `ablate_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name, TEMPLATE_DB);
  return withDatabase(adminUrl, name);
}
