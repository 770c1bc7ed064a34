import type { Goal, MetricPoint, SweepDetail } from '@ablate/contracts';
import { describeTrial, type PointRow, type TrialRow } from './chaos-db.js';
import type { InjectionRecord } from './chaos-injector.js';
import { checkLeaderboard, checkPoints } from './stored-data-checks.js';
import { describeRuns, type TrialRun } from './worker-log.js';

/** Everything the checks look at, gathered once the sweep has ended. */
export interface ChaosEvidence {
  /** `GET /api/sweeps/:id`. */
  detail: SweepDetail;
  /** The trials table. */
  rows: TrialRow[];
  /** The metric_points table. */
  points: PointRow[];
  /** `GET /api/trials/:id/metrics`, by trial id. */
  apiPoints: Map<string, MetricPoint[]>;
  /** Every run of every trial, from the worker logs, by trial id. */
  runs: Map<string, TrialRun[]>;
  injections: InjectionRecord[];
  /** The scheduler's log, to quote what it said about a trial. */
  schedulerLog: string;
}

export interface ChaosExpectations {
  epochs: number;
  /** Metrics the template reports every epoch. */
  epochMetrics: string[];
  metric: { name: string; goal: Goal };
}

/** Records a finding about one trial under a check's tag. */
export type Say = (check: string, text: string) => void;

/** Every way the run went wrong, one line each, prefixed with the check that found it; empty when all held. */
export function checkChaosRun(e: ChaosEvidence, x: ChaosExpectations): string[] {
  const findings: string[] = [];
  if (e.detail.sweep.status !== 'completed')
    findings.push(`[sweep] status is ${e.detail.sweep.status}, expected completed`);
  for (const row of e.rows) {
    const say = (check: string, text: string) =>
      findings.push(`[${check}] trial ${describeTrial(row)}: ${text}`);
    const runs = e.runs.get(row.id) ?? [];
    const kills = e.injections.filter((i) => i.charged.includes(row.id)).length;
    if (row.status !== 'completed') say('terminal', `ended ${row.status}, expected completed`);
    checkOnce(runs, x.epochs, say);
    if (row.attempt !== 1 + kills) {
      say(
        'retries',
        `attempt ${row.attempt}, expected ${1 + kills} (1 + ${kills} kill -9 of a worker running it): ` +
          `something other than a worker kill cost it a retry. Runs: ${describeRuns(runs) || 'none logged'}. ` +
          `Scheduler said: ${quote(e.schedulerLog, row.id)}`,
      );
    }
    checkResumes(runs, x.epochs, say);
    checkPoints(row.id, e, x, say);
  }
  findings.push(...checkLeaderboard(e, x));
  return findings;
}

/** One run completed the trial, and no later attempt ran it again. */
function checkOnce(runs: TrialRun[], epochs: number, say: Say): void {
  // A worker killed after the scheduler accepted its completion but before it logged the line
  // leaves its last run `cut` with every epoch trained: that run completed the trial.
  const completedUnlogged = (r: TrialRun) => r.outcome === 'cut' && r === runs.at(-1) && r.trained.at(-1) === epochs;
  const completed = runs.filter((r) => r.outcome === 'completed' || completedUnlogged(r));
  if (completed.length !== 1)
    say(
      'once',
      `${completed.length} runs logged completing it, expected 1. Runs: ${describeRuns(runs) || 'none logged'}`,
    );
  const last = completed.at(-1);
  if (last && runs.some((r) => r.attempt > last.attempt))
    say('once', `ran again after attempt ${last.attempt} completed it. Runs: ${describeRuns(runs)}`);
  // A run may share its attempt number only with a run before it that was cut: a killed agent's
  // outbox hands its trial back (`released`, no retry), and the next run resumes where it stopped.
  if (runs.some((r, i) => i > 0 && r.attempt === runs[i - 1]!.attempt && runs[i - 1]!.outcome !== 'cut'))
    say('once', `two runs under one attempt number. Runs: ${describeRuns(runs)}`);
}

/**
 * A run after a kill resumes from the checkpoint: the training loop writes the checkpoint of
 * epoch k before it logs `epoch k/E`, so the next run resumes at the last logged epoch, or one
 * later when the kill fell between the checkpoint and the log line; it trains only what follows.
 */
function checkResumes(runs: TrialRun[], epochs: number, say: Say): void {
  let done = 0;
  runs.forEach((run, i) => {
    const from = run.resumedAt ?? 0;
    if (i === 0 && run.resumedAt !== null)
      say('resume', `its first run resumed at epoch ${run.resumedAt} from a checkpoint nothing wrote`);
    const resumedWell =
      done === 0
        ? (run.resumedAt ?? 0) <= 1
        : run.resumedAt !== null && run.resumedAt >= done && run.resumedAt <= done + 1;
    if (i > 0 && !resumedWell) {
      say(
        'resume',
        `attempt ${run.attempt} on ${run.worker} ${run.resumedAt === null ? 'started fresh' : `resumed at epoch ${run.resumedAt}`} ` +
          `after earlier runs trained up to epoch ${done}; expected to resume at ${done} (or ${done + 1}). Runs: ${describeRuns(runs)}`,
      );
    }
    const expected = Array.from({ length: run.trained.length }, (_, k) => from + 1 + k);
    if (run.trained.join() !== expected.join()) {
      say(
        'resume',
        `attempt ${run.attempt} on ${run.worker} trained epochs [${run.trained.join(',')}] after resuming at ${from}; expected [${expected.join(',')}]`,
      );
    }
    if (run.outcome === 'completed' && from + run.trained.length !== epochs) {
      say(
        'resume',
        `attempt ${run.attempt} completed after epoch ${from + run.trained.length}, expected ${epochs}`,
      );
    }
    done = Math.max(done, from + run.trained.length);
  });
}

/** The scheduler's last lines about a trial. */
function quote(log: string, trialId: string): string {
  const lines = log
    .split('\n')
    .filter((l) => l.includes(trialId))
    .slice(-4)
    .map((l) => l.trim());
  return lines.length ? lines.map((l) => `"${l}"`).join(' | ') : 'nothing';
}
