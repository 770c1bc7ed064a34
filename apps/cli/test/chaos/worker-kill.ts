import { setTimeout as sleep } from 'node:timers/promises';
import { registeredWorkerId } from './chaos-cluster.js';
import type { TrialRow } from './chaos-db.js';
import type { InjectionContext, InjectionRecord } from './chaos-injector.js';
import type { PlannedInjection } from './chaos-plan.js';

/** How long a dead worker's leases may take to go: the TTL plus the reaper's pass, with room for grace after an outage. */
const LEASES_GONE_WITHIN_MS = 30_000;

/**
 * kill -9 of a worker that is mid-trial (the seed's draw picks among them, in trial order), a
 * replacement at once, then the trials this kill costs a retry: those the dead worker held whose
 * lease was then taken from it (attempt went up). A request it sent just before dying may still
 * land, e.g. the report completing its trial; that trial keeps its attempt and is not charged.
 */
export async function killWorker(
  p: PlannedInjection,
  ctx: InjectionContext,
): Promise<InjectionRecord | null> {
  const trials = await ctx.db.trials(ctx.sweepId);
  const candidates = ctx.cluster.workers
    .filter((w) => w.process.running)
    .map((w) => {
      const id = registeredWorkerId(w);
      return { w, id: id ?? '', trial: id === null ? undefined : trials.find((t) => t.leaseOwner === id) };
    })
    .flatMap((c) => (c.trial && isMidTrial(c.trial, ctx.epochs) ? [{ ...c, trial: c.trial }] : []))
    .sort((a, b) => a.trial.index - b.trial.index);
  const victim = candidates[Math.floor(p.pick * candidates.length)];
  if (!victim) return null;
  const atMs = ctx.cluster.elapsed();
  await victim.w.process.kill9();
  const replacement = ctx.cluster.startWorker();

  const held = new Map<string, TrialRow>();
  const until = Date.now() + LEASES_GONE_WITHIN_MS;
  for (;;) {
    const now = await ctx.db.heldBy(victim.id);
    for (const t of now) if (!held.has(t.id)) held.set(t.id, t);
    if (now.length === 0 || Date.now() > until) break;
    await sleep(200);
  }
  const after = await ctx.db.trials(ctx.sweepId);
  const charged = [...held.values()].filter((t) => {
    const later = after.find((a) => a.id === t.id);
    return !later || later.attempt > t.attempt || later.leaseOwner === victim.id;
  });
  const gone = ctx.cluster.elapsed();
  const describe = (ts: TrialRow[]) => ts.map((t) => `#${t.index} step ${t.step ?? '-'}`).join(', ');
  return {
    kind: p.kind,
    atMs,
    recoveredAtMs: gone,
    charged: charged.map((t) => t.id),
    description:
      `kill -9 ${victim.w.name} (pid ${victim.w.process.pid}, worker ${victim.id}) running trial #${victim.trial.index} at step ${victim.trial.step}; ` +
      `${replacement.name} started; its leases [${describe([...held.values()])}] were gone ${((gone - atMs) / 1000).toFixed(1)} s later, ` +
      `costing a retry to [${describe(charged)}]`,
  };
}

/** Running with a checkpoint to resume from and epochs left to train. */
export function isMidTrial(t: TrialRow, epochs: number): boolean {
  return t.status === 'running' && t.step !== null && t.step >= 1 && t.step < epochs;
}
