import type { ChaosCluster } from './chaos-cluster.js';
import { describeTrial, isFinished, type TrialRow } from './chaos-db.js';

/**
 * Turns "wait until X" into a failure as soon as waiting cannot help: no trial finished or moved
 * a step for `stallMs` (a stuck trial never recovers by waiting), the scheduler crashed, every
 * worker has exited, or the overall deadline passed. The message names the trials that are not finished.
 */
export class ProgressWatch {
  private signature = '';
  private changedAt = Date.now();

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly deadline: number,
    private readonly stallMs: number,
  ) {}

  /** Throws when the sweep is stuck; call with the current trials on every poll. */
  check(trials: TrialRow[], waitingFor: string): void {
    const finished = trials.filter(isFinished).length;
    const now = `${finished}|${trials.reduce((sum, t) => sum + (t.step ?? 0), 0)}`;
    if (now !== this.signature) [this.signature, this.changedAt] = [now, Date.now()];
    let why: string | null = null;
    const scheduler = this.cluster.scheduler;
    if (scheduler && !scheduler.running && !scheduler.killedOnPurpose)
      why = `the scheduler exited by itself (see ${scheduler.logFile})`;
    else if (!this.cluster.workers.some((w) => w.process.running)) why = 'every worker process has exited';
    else if (Date.now() - this.changedAt > this.stallMs)
      why = `no trial finished or reported a new step for ${this.stallMs / 1000} s`;
    else if (Date.now() > this.deadline) why = 'the overall deadline passed';
    if (!why) return;
    const stuck = trials.filter((t) => !isFinished(t)).map((t) => `  ${describeTrial(t)}`);
    throw new Error(
      `${why} while waiting for ${waitingFor}; ${finished}/${trials.length} trials finished. Unfinished:\n${stuck.join('\n') || '  none'}`,
    );
  }
}
