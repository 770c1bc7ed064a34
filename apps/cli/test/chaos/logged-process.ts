import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/** Every process the chaos test started and has not seen exit, so a crashed test run leaves none behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A node process whose stdout and stderr go straight to a log file (not through this process),
 * so the lines a process wrote just before a kill -9 are all there, in order.
 */
export class LoggedProcess {
  readonly child: ChildProcess;
  /** Resolves with how the process ended: `code 0`, `signal SIGKILL`, ... */
  readonly exited: Promise<string>;
  /** True once we killed it on purpose; an exit without it is a crash. */
  killedOnPurpose = false;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv,
    readonly logFile: string,
    startedAtMs: number,
  ) {
    appendFileSync(logFile, `----- ${name} started at +${startedAtMs} ms -----\n`);
    const fd = openSync(logFile, 'a');
    try {
      this.child = spawn(process.execPath, [script], { env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    live.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        resolve(signal ? `signal ${signal}` : `code ${code}`);
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9, and wait until the kernel has reaped it. */
  async kill9(): Promise<void> {
    this.killedOnPurpose = true;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.killedOnPurpose = true;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  log(): string {
    return readLog(this.logFile);
  }
}

export function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The last `lines` lines of a log file, indented under its name. */
export function tail(file: string, lines = 25): string {
  const text = readLog(file).trimEnd().split('\n').slice(-lines);
  return [`==> ${file} (last ${text.length} lines)`, ...text.map((l) => `    ${l}`)].join('\n');
}

/** Environment for a child: ours without any Ablate or database settings, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('ABLATE_') && k !== 'DATABASE_URL') env[k] = v;
  }
  return { ...env, ...extra };
}
