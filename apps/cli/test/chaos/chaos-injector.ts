import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosCluster } from './chaos-cluster.js';
import { isFinished, type ChaosDb, type TrialRow } from './chaos-db.js';
import type { PlannedInjection } from './chaos-plan.js';
import type { ProgressWatch } from './progress-watch.js';
import { isMidTrial, killWorker } from './worker-kill.js';

/** What was injected, when, and which trials it should cost a retry. */
export interface InjectionRecord {
  kind: PlannedInjection['kind'];
  /** ms since the cluster started. */
  atMs: number;
  /** ms since the cluster started when the killed part was back: the scheduler healthy, or the dead worker's leases gone. */
  recoveredAtMs: number;
  /** One line: what was killed and what it was doing. */
  description: string;
  /** Trials whose lease was taken from the killed worker: each must cost exactly one retry. Empty for outages. */
  charged: string[];
}

export interface InjectionContext {
  cluster: ChaosCluster;
  db: ChaosDb;
  sweepId: string;
  epochs: number;
  /** Fails the wait for a trigger once the sweep is stuck. */
  watch: ProgressWatch;
  /** Problems seen while injecting (a process that died by itself); the test reports them with the rest. */
  problems: string[];
  log: (line: string) => void;
}

/** Waits for the injection's trigger, injects it and waits for the killed part to be back. */
export async function inject(p: PlannedInjection, ctx: InjectionContext): Promise<InjectionRecord> {
  for (;;) {
    const midTrial = await waitForTrigger(p, ctx);
    await sleep(p.jitterMs);
    if (p.kind === 'kill-worker') {
      const record = await killWorker(p, ctx);
      if (record) return record;
      continue; // every candidate finished its trial during the jitter: wait for the next one
    }
    const atMs = ctx.cluster.elapsed();
    const inFlight = `${midTrial.length} trials mid-training`;
    if (p.kind === 'kill-scheduler') {
      const pid = ctx.cluster.scheduler!.pid;
      await ctx.cluster.scheduler!.kill9();
      await sleep(p.downMs);
      await ctx.cluster.startScheduler();
      return {
        kind: p.kind,
        atMs,
        recoveredAtMs: ctx.cluster.elapsed(),
        description: `kill -9 scheduler (pid ${pid}) with ${inFlight}; restarted after ${p.downMs} ms`,
        charged: [],
      };
    }
    const pid = await ctx.cluster.postgres.kill9();
    await sleep(p.downMs);
    const attempts = await ctx.cluster.postgres.start(`after the kill, at +${ctx.cluster.elapsed()} ms`);
    await ensureSchedulerHealthy(ctx, 'the PostgreSQL outage');
    return {
      kind: p.kind,
      atMs,
      recoveredAtMs: ctx.cluster.elapsed(),
      charged: [],
      description: `kill -9 PostgreSQL postmaster (pid ${pid}) with ${inFlight}; restarted after ${p.downMs} ms (${attempts} start attempt${attempts === 1 ? '' : 's'})`,
    };
  }
}

/** Trials mid-training (1 <= step < epochs): a kill then interrupts a trial that has a checkpoint to resume from. */
async function waitForTrigger(p: PlannedInjection, ctx: InjectionContext): Promise<TrialRow[]> {
  for (;;) {
    const trials = await ctx.db.trials(ctx.sweepId);
    const finished = trials.filter(isFinished).length;
    if (finished === trials.length) {
      throw new Error(
        `the sweep finished before the ${p.kind} planned after ${p.afterFinished} finished trials: make the sweep longer`,
      );
    }
    const midTrial = trials.filter((t) => isMidTrial(t, ctx.epochs));
    if (finished >= p.afterFinished && midTrial.length > 0) return midTrial;
    ctx.watch.check(trials, `the trigger of ${p.kind} (${p.afterFinished} finished, one trial mid-training)`);
    await sleep(150);
  }
}

/** After an outage the scheduler must still be serving; if it died by itself that is a finding, and it is restarted to go on. */
async function ensureSchedulerHealthy(ctx: InjectionContext, during: string): Promise<void> {
  try {
    await ctx.cluster.waitHealthy(60_000);
  } catch (err) {
    const s = ctx.cluster.scheduler!;
    if (s.running) throw err;
    ctx.problems.push(
      `the scheduler exited by itself during ${during} (${await s.exited}); restarted it to go on (see ${ctx.cluster.schedulerLog})`,
    );
    ctx.log(`scheduler died during ${during}; restarting it`);
    await ctx.cluster.startScheduler();
  }
}
