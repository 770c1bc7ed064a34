import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `ablate` process whose output the test reads as it comes. */
export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<CliResult>;
}

/**
 * Starts the built CLI (`dist/main.js`) as its own process. `env` is added to this process's
 * environment with the scheduler variables removed, so a test says which one the CLI should use.
 */
export function startAblate(args: string[], env: Record<string, string> = {}): CliProcess {
  const base = { ...process.env };
  delete base.ABLATE_API_URL;
  delete base.ABLATE_API_PORT;
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Runs `ablate <args>` to its end. */
export function ablate(args: string[], env?: Record<string, string>): Promise<CliResult> {
  return startAblate(args, env).done;
}
