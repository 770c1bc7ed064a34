import { setTimeout as sleep } from 'node:timers/promises';
import { registeredWorkerId, type ChaosCluster } from './chaos-cluster.js';
import { isFinished, type ChaosDb, type TrialRow } from './chaos-db.js';
import type { PlannedInjection } from './chaos-plan.js';
import type { ProgressWatch } from './progress-watch.js';

/** What was injected, when, and which trials it should cost a retry. */
export interface InjectionRecord {
  kind: PlannedInjection['kind'];
  /** ms since the cluster started. */
  atMs: number;
  /** ms since the cluster started when the killed part was back (healthy scheduler, replacement worker spawned). */
  recoveredAtMs: number;
  /** One line: what was killed and what it was doing. */
  description: string;
  /** Trials the killed worker held a lease on: each must cost exactly one retry. Empty for outages. */
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
    const pid = await ctx.cluster.killPostgres();
    await sleep(p.downMs);
    const attempts = await ctx.cluster.startPostgres();
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
    const midTrial = trials.filter(
      (t) => t.status === 'running' && t.step !== null && t.step >= 1 && t.step < ctx.epochs,
    );
    if (finished >= p.afterFinished && midTrial.length > 0) return midTrial;
    ctx.watch.check(trials, `the trigger of ${p.kind} (${p.afterFinished} finished, one trial mid-training)`);
    await sleep(150);
  }
}

async function killWorker(p: PlannedInjection, ctx: InjectionContext): Promise<InjectionRecord | null> {
  const trials = await ctx.db.trials(ctx.sweepId);
  const candidates = ctx.cluster.workers
    .filter((w) => w.process.running)
    .map((w) => {
      const id = registeredWorkerId(w);
      return { w, id, trial: id === null ? undefined : trials.find((t) => t.leaseOwner === id) };
    })
    .filter(
      (c) =>
        c.trial &&
        c.trial.status === 'running' &&
        c.trial.step !== null &&
        c.trial.step >= 1 &&
        c.trial.step < ctx.epochs,
    )
    .sort((a, b) => a.trial!.index - b.trial!.index);
  const victim = candidates[Math.floor(p.pick * candidates.length)];
  if (!victim) return null;
  const atMs = ctx.cluster.elapsed();
  await victim.w.process.kill9();
  // Requests the worker sent just before dying finish within this pause; then its leases are final.
  await sleep(500);
  const held = await ctx.db.heldBy(victim.id!);
  const replacement = ctx.cluster.startWorker();
  const seen = `trial #${victim.trial!.index} at step ${victim.trial!.step}`;
  return {
    kind: p.kind,
    atMs,
    recoveredAtMs: ctx.cluster.elapsed(),
    charged: held.map((t) => t.id),
    description:
      `kill -9 ${victim.w.name} (pid ${victim.w.process.pid}, worker ${victim.id}) running ${seen}; ` +
      `it held [${held.map((t) => `#${t.index} step ${t.step ?? '-'}`).join(', ')}]; ${replacement.name} started`,
  };
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
