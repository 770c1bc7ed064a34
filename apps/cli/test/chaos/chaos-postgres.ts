import { startEmbeddedPostgres, type RunningPostgres } from '@ablate/scheduler';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The embedded PostgreSQL, started (and started again after a kill -9) through the product's own
 * `startEmbeddedPostgres`, so the restart path under test is the one `ablate up` takes.
 */
export class ChaosPostgres {
  /** The application role's connection string (stays the same across restarts: the passwords live beside the data folder). */
  url = '';
  private server: RunningPostgres | null = null;

  constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly logFile: string,
  ) {
    // The postmaster runs in its own process group, so it would outlive a test process that exits
    // before `stop()` (a timeout, a crash in a hook): shut it down at once (SIGQUIT) on exit.
    process.once('exit', () => {
      if (this.server && isAlive(this.server.pid)) process.kill(this.server.pid, 'SIGQUIT');
    });
  }

  /** Starts it, retrying while a killed postmaster's backends still hold its shared memory; returns the attempts it took. */
  async start(marker: string, timeoutMs = 45_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    appendFileSync(this.logFile, `----- postgres start ${marker} -----\n`);
    for (let attempt = 1; ; attempt++) {
      try {
        this.server = await startEmbeddedPostgres({
          dataDir: this.dataDir,
          port: this.port,
          database: 'ablate',
          onLog: (line) => appendFileSync(this.logFile, `${line}\n`),
        });
        this.url = this.server.url;
        return attempt;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        appendFileSync(this.logFile, `----- start attempt ${attempt} failed: ${why}\n`);
        if (Date.now() > until) {
          throw new Error(
            `PostgreSQL did not start again within ${timeoutMs} ms (${attempt} attempts): ${why}`,
            { cause: err },
          );
        }
        await sleep(500);
      }
    }
  }

  /** kill -9 of the postmaster (first line of postmaster.pid); its backends notice and exit on their own. */
  async kill9(): Promise<number> {
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${pidFile}`);
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(20);
    this.server = null;
    return pid;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
