import type { TrialErrorInfo } from '@ablate/contracts';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ChildTrial } from '../trial-process/child-trial.js';
import type { RunningTrial, TrialEvent, TrialLaunch, TrialOutcome } from '../trial-process/trial-process.js';
import { CommandMetrics } from './command-metrics.js';
import { concludeCommand } from './command-outcome.js';
import { prepareInvocation, type Invocation } from './command-invocation.js';
import type { CommandPolicy } from './command-policy.js';
import { TrialEvents } from './trial-events.js';

export interface CommandTrialOptions {
  /** What this worker lets sweeps run (ABLATE_ALLOW_COMMANDS, ABLATE_COMMAND_ROOTS). */
  policy: CommandPolicy;
  /** How long a program past its timeoutSeconds gets between SIGTERM and SIGKILL (default 10 s). */
  timeoutGraceMs?: number;
}

/**
 * One command trial: the user's program run directly (no shell) in a process group of its own, so
 * a stop reaches whatever it started (SIGTERM, then SIGKILL after the grace), and nothing it left
 * behind outlives it. `ChildTrial` watches the process; this adds the checks before the start,
 * the metrics read from stdout, the timeout, and the exit code's verdict.
 */
export class CommandTrial implements RunningTrial {
  readonly outcome: Promise<TrialOutcome>;
  private readonly events = new TrialEvents();
  private running: ChildTrial | null = null;
  private stopAsked = false;
  private timedOut = false;

  constructor(
    launch: TrialLaunch,
    private readonly o: CommandTrialOptions,
  ) {
    this.outcome = this.run(launch);
  }

  get pid(): number | undefined {
    return this.running?.pid;
  }

  onEvent(listener: (event: TrialEvent) => void): void {
    this.events.subscribe(listener);
  }

  async stop(graceMs: number): Promise<void> {
    this.stopAsked = true;
    const running = this.running;
    if (!running) return void (await this.outcome);
    await running.stop(graceMs); // SIGTERM to the whole group once, SIGKILL after the grace (the `signal` hook below)
  }

  private async run(launch: TrialLaunch): Promise<TrialOutcome> {
    const prepared = await prepareInvocation(launch, this.o.policy).catch(
      (err: unknown): TrialErrorInfo => ({ code: 'internal', retryable: true, message: `could not prepare the command: ${(err as Error).message}` }),
    );
    if ('code' in prepared) {
      this.note(`not started: ${prepared.message}`);
      return { type: 'failed', error: prepared, exitCode: null, signal: null };
    }
    try {
      return await this.start(launch, prepared);
    } finally {
      await rm(prepared.scratchDir, { recursive: true, force: true });
    }
  }

  private async start(launch: TrialLaunch, inv: Invocation): Promise<TrialOutcome> {
    const metrics = new CommandMetrics({ checkpointDir: launch.checkpointDir, resumeAfterStep: launch.trial.resumeAfterStep, emit: (e) => this.events.emit(e) });
    await metrics.restore();
    if (this.stopAsked) return { type: 'stopped' };
    const child = spawn(inv.program, inv.args, { cwd: inv.cwd, env: inv.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Whatever the program started dies with it: a left-over child would keep a GPU, or the pipes open.
    child.once('exit', () => signalGroup(child.pid, 'SIGKILL'));
    const timeout = inv.params.timeoutSeconds ?? null;
    const trial = new ChildTrial(child, {
      hangTimeoutMs: inv.params.silenceSeconds * 1000,
      signal: (signal) => signalGroup(child.pid, signal),
      onStdout: (line) => metrics.line(line),
      conclude: (exit) =>
        concludeCommand(exit, { display: inv.display, timeoutSeconds: this.timedOut ? timeout : null, result: () => metrics.result(), backend: path.basename(inv.program).slice(0, 40) }),
    });
    this.running = trial;
    trial.onEvent((e) => this.events.emit(e));
    if (child.pid !== undefined) this.note(`started ${inv.display} (pid ${child.pid}, in ${inv.cwd})`);
    const timer = timeout === null ? null : setTimeout(() => this.expire(timeout), timeout * 1000);
    timer?.unref();
    try {
      return await trial.outcome;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private expire(seconds: number): void {
    this.timedOut = true;
    this.note(`ran past its timeoutSeconds (${seconds} s): stopping it`);
    void this.stop(this.o.timeoutGraceMs ?? 10_000);
  }

  private note(line: string): void {
    this.events.emit({ type: 'log', stream: 'agent', line });
  }
}

/** Signals the process group led by `pid` (the program and everything it started); gone already is fine. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has no process left
  }
}
