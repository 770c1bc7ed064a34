import type { ApiClient, MetricPoint } from '@ablate/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosEvidence } from './chaos-checks.js';
import type { ChaosCluster } from './chaos-cluster.js';
import { isFinished, type ChaosDb } from './chaos-db.js';
import type { InjectionRecord } from './chaos-injector.js';
import { tail } from './logged-process.js';
import type { ProgressWatch } from './progress-watch.js';
import { describeRuns, runsByTrial } from './worker-log.js';

/** Waits until every trial is finished and the sweep has settled; `watch` fails the wait when it is stuck. */
export async function waitForSweepEnd(db: ChaosDb, sweepId: string, watch: ProgressWatch): Promise<void> {
  for (;;) {
    const trials = await db.trials(sweepId);
    const status = await db.sweepStatus(sweepId);
    if (trials.every(isFinished) && status !== 'running') return;
    watch.check(trials, `the end of the sweep (now ${status ?? 'missing'})`);
    await sleep(500);
  }
}

/** Reads the API, the tables and the worker logs once the sweep has ended. */
export async function gatherEvidence(
  api: ApiClient,
  db: ChaosDb,
  cluster: ChaosCluster,
  sweepId: string,
  injections: InjectionRecord[],
): Promise<ChaosEvidence> {
  const [detail, rows, points] = await Promise.all([
    api.getSweep(sweepId),
    db.trials(sweepId),
    db.points(sweepId),
  ]);
  const apiPoints = new Map<string, MetricPoint[]>();
  for (const row of rows) apiPoints.set(row.id, (await api.getTrialMetrics(row.id)).points);
  const runs = runsByTrial(cluster.workers.map((w) => ({ worker: w.name, text: w.process.log() })));
  const schedulerLog = cluster.scheduler?.log() ?? '';
  return { detail, rows, points, apiPoints, runs, injections, schedulerLog };
}

/** Processes that ended without being killed by the test: a crash is a finding even when the sweep recovered. */
export function processFindings(cluster: ChaosCluster): string[] {
  const findings: string[] = [];
  for (const p of [cluster.scheduler, ...cluster.workers.map((w) => w.process)]) {
    if (p && !p.running && !p.killedOnPurpose)
      findings.push(`[process] ${p.name} (pid ${p.pid}) exited by itself; see ${p.logFile}`);
  }
  return findings;
}

/**
 * Every planned injection ran. (A worker kill that cost no retry is not a finding: a report sent
 * just before the kill may complete its trial; the timeline shows it as `costing a retry to []`.)
 */
export function planFindings(injections: InjectionRecord[], planned: number): string[] {
  return injections.length === planned ? [] : [`[plan] ${injections.length} of ${planned} injections ran`];
}

export function describeTimeline(injections: InjectionRecord[]): string {
  return injections
    .map(
      (i) =>
        `  +${(i.atMs / 1000).toFixed(1)} s ${i.description} (back at +${(i.recoveredAtMs / 1000).toFixed(1)} s)`,
    )
    .join('\n');
}

/** One line per trial: status, attempt, kills and runs. */
export function describeTrials(e: ChaosEvidence): string {
  return e.rows
    .map((r) => {
      const kills = e.injections.filter((i) => i.charged.includes(r.id)).length;
      return `  #${r.index} ${r.status} attempt ${r.attempt} (kills ${kills}): ${describeRuns(e.runs.get(r.id) ?? []) || 'no run logged'}`;
    })
    .join('\n');
}

/** The last lines of every process's log. */
export function logTails(cluster: ChaosCluster, lines = 25): string {
  return cluster
    .logFiles()
    .map((f) => tail(f, lines))
    .join('\n');
}
