import type { ChildProcess } from 'node:child_process';
import { concludeExit, type ChildExit } from './child-exit.js';
import { readLines } from './line-reader.js';
import type { RunningTrial, TrialEvent, TrialOutcome } from './trial-process.js';

/** Lines of stderr kept for the failure message. */
const STDERR_TAIL_LINES = 20;

export interface ChildTrialOptions {
  /**
   * Nothing from the child (no event, no output, no ping) for this long means it hangs: it is
   * killed and fails as `hung`. 0 turns the watchdog off.
   */
  hangTimeoutMs: number;
  /** Each stdout line; default: a `log` event. A command launcher parses metrics out of it instead. */
  onStdout?: (line: string, trial: ChildTrial) => void;
  /** The outcome when the child gave no last word (`settle`); default `concludeExit`. */
  conclude?: (exit: ChildExit) => TrialOutcome;
  /** How a stop or the watchdog signals it; default the child alone. A command trial signals its process group. */
  signal?: (signal: NodeJS.Signals) => void;
}

/**
 * A trial running in a child process: relays its events, watches that it stays alive, stops it
 * (SIGTERM, then SIGKILL after a grace), and turns how it ended into a `TrialOutcome`. Whatever the
 * child does (crash, run out of memory, hang), the agent only ever sees an outcome.
 */
export class ChildTrial implements RunningTrial {
  readonly outcome: Promise<TrialOutcome>;
  private readonly buffered: TrialEvent[] = [];
  private listener: ((event: TrialEvent) => void) | null = null;
  private lastWord: TrialOutcome | null = null;
  private stopRequested = false;
  private hungAfterMs: number | null = null;
  private spawnError: Error | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly stderrTail: string[] = [];
  private readonly exited: Promise<void>;
  /** How the process exited (null while it runs). */
  exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(
    private readonly child: ChildProcess,
    private readonly o: ChildTrialOptions,
  ) {
    const streams: Promise<void>[] = [];
    if (child.stdout) streams.push(readLines(child.stdout, (line) => this.stdoutLine(line)));
    if (child.stderr) streams.push(readLines(child.stderr, (line) => this.stderrLine(line)));
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal }));
      child.on('error', (err) => {
        // Only a failed spawn ends here without a 'close'; a failed kill() of a live child is not an exit.
        if (child.pid !== undefined) return;
        this.spawnError = err;
        resolve({ code: null, signal: null });
      });
    });
    this.exited = closed.then((status) => {
      this.exitStatus = status;
    });
    this.outcome = closed.then(async (status) => {
      this.clearWatchdog();
      await Promise.all(streams);
      const exit: ChildExit = {
        ...status,
        stderrTail: [...this.stderrTail],
        stopRequested: this.stopRequested,
        hungAfterMs: this.hungAfterMs,
        spawnError: this.spawnError,
      };
      if (
        this.lastWord &&
        this.hungAfterMs === null &&
        !(this.lastWord.type === 'stopped' && !this.stopRequested)
      )
        return this.lastWord;
      return (this.o.conclude ?? concludeExit)(exit);
    });
    this.alive();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onEvent(listener: (event: TrialEvent) => void): void {
    this.listener = listener;
    for (const e of this.buffered.splice(0)) listener(e);
  }

  /** An event from the child (its launcher decodes them). */
  emit(event: TrialEvent): void {
    this.alive();
    if (this.listener) this.listener(event);
    else this.buffered.push(event);
  }

  /** The child's own last word (completed, failed with a typed error, stopped); used once it has exited. */
  settle(outcome: TrialOutcome): void {
    this.alive();
    this.lastWord ??= outcome;
  }

  /** A sign of life without an event (a ping); resets the hang watchdog. */
  alive(): void {
    if (this.o.hangTimeoutMs <= 0 || this.hungAfterMs !== null) return;
    this.clearWatchdog();
    this.watchdog = setTimeout(() => {
      this.hungAfterMs = this.o.hangTimeoutMs;
      this.signal('SIGKILL'); // a stopped (SIGSTOP) or spinning process ignores anything gentler
    }, this.o.hangTimeoutMs);
    this.watchdog.unref();
  }

  async stop(graceMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.spawnError) return this.exited;
    this.stopRequested = true;
    this.signal('SIGTERM');
    const kill = setTimeout(() => this.signal('SIGKILL'), graceMs);
    kill.unref();
    await this.exited;
    clearTimeout(kill);
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.o.signal) this.o.signal(signal);
    else this.child.kill(signal);
  }

  private stdoutLine(line: string): void {
    this.alive();
    if (this.o.onStdout) this.o.onStdout(line, this);
    else this.emit({ type: 'log', stream: 'stdout', line });
  }

  private stderrLine(line: string): void {
    this.alive();
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    this.emit({ type: 'log', stream: 'stderr', line });
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }
}
