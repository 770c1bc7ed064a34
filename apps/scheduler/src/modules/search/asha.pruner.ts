import type { AshaPrunerSpec } from '@ablate/contracts';
import { byBest, type PrunedMetric, type PrunerVerdict, type RungEntry } from './pruning.types.js';

/** ASHA's knobs with defaults filled in (see `AshaPrunerSpec`). */
export type AshaOptions = Pick<AshaPrunerSpec, 'gracePeriod' | 'reductionFactor' | 'maxSteps'>;

/** Step of rung k: gracePeriod·η^k. */
export function rungStep(options: AshaOptions, k: number): number {
  return options.gracePeriod * options.reductionFactor ** k;
}

/**
 * The rung a report from `previousStep` to `step` crosses: the highest k with previousStep <
 * rungStep(k) ≤ step (a report may skip steps), below `maxSteps`; `undefined` if none.
 */
export function rungCrossed(options: AshaOptions, previousStep: number, step: number): number | undefined {
  let crossed: number | undefined;
  for (let k = 0; rungStep(options, k) <= step; k++) {
    const at = rungStep(options, k);
    if (options.maxSteps !== undefined && at >= options.maxSteps) break;
    if (at > previousStep) crossed = k;
  }
  return crossed;
}

/** A trial arriving at a rung. */
export interface RungArrival {
  trialId: string;
  /** Its best value of the metric so far. */
  value: number;
  /** True for its last report: it ends here, so it cannot pause (it still counts in the rung). */
  final: boolean;
}

/** ASHA's answer to an arrival, and the rung to write back (the arrival added, promotions marked). */
export interface RungOutcome {
  verdict: PrunerVerdict;
  rung: RungEntry[];
}

/** Marks paused entries among the best `quota` of a rung promoted; returns their ids, best first. */
function promoteTop(entries: RungEntry[], quota: number, goal: PrunedMetric['goal']): string[] {
  const promoted: string[] = [];
  for (const e of [...entries].sort(byBest(goal)).slice(0, quota)) {
    if (e.status !== 'paused') continue;
    e.status = 'promoted';
    promoted.push(e.trialId);
  }
  return promoted;
}

/**
 * Asynchronous successive halving (Li et al. 2020) with pausing: rung k holds the trials that
 * reached step gracePeriod·η^k; its best floor(n/η) may go on. An arrival in that top goes on at
 * once, otherwise it is paused (kept, not killed); the arrival can also raise the quota, which
 * promotes the best paused trial. Pure; O(rung size) per arrival. A repeated report changes nothing.
 */
export function ashaOnRung(options: AshaOptions, metric: PrunedMetric, k: number, rung: readonly RungEntry[], arrival: RungArrival): RungOutcome {
  const entries = rung.map((e) => ({ ...e }));
  const known = entries.find((e) => e.trialId === arrival.trialId);
  if (known) {
    const decision = known.status === 'paused' ? 'pause' : 'continue';
    return { verdict: { decision, promote: [] }, rung: entries };
  }
  const mine: RungEntry = { trialId: arrival.trialId, value: arrival.value, status: arrival.final ? 'stopped' : 'paused' };
  entries.push(mine);
  const eta = options.reductionFactor;
  const promoted = promoteTop(entries, Math.floor(entries.length / eta), metric.goal);
  const promote = promoted.filter((id) => id !== arrival.trialId);
  if (mine.status !== 'paused') return { verdict: { decision: 'continue', promote }, rung: entries };
  const reason = `paused at rung ${k} (step ${rungStep(options, k)}): ${metric.name} ${arrival.value} is not in the top 1/${eta} of the ${entries.length} trials there yet`;
  return { verdict: { decision: 'pause', reason, promote }, rung: entries };
}

/** What to do with paused trials once nothing else can run. */
export interface AshaSettlement {
  /** Paused trials to resume, best first. */
  promote: string[];
  /** Paused trials that will never be promoted: they end `pruned`, with why. */
  prune: { trialId: string; reason: string }[];
  /** Every rung after the settlement (index = rung), to write back. */
  rungs: RungEntry[][];
}

/**
 * Called when the sweep has no trial queued or running and no new one to start, only paused ones
 * (without it they would wait for arrivals that never come). From the lowest rung up, each rung
 * whose arrivals are over promotes its best ceil(n/η) (at least one, so a small sweep still
 * finishes a trial) and prunes its other paused trials; a rung above a promotion waits, since the
 * promoted trials may still arrive there. Each call promotes or prunes, so the sweep ends.
 */
export function settleAsha(options: AshaOptions, metric: PrunedMetric, rungs: readonly (readonly RungEntry[])[]): AshaSettlement {
  const out: AshaSettlement = { promote: [], prune: [], rungs: rungs.map((r) => r.map((e) => ({ ...e }))) };
  const eta = options.reductionFactor;
  let arrivalsPending = false;
  for (const [k, entries] of out.rungs.entries()) {
    if (arrivalsPending) break;
    const promoted = promoteTop(entries, Math.ceil(entries.length / eta), metric.goal);
    out.promote.push(...promoted);
    for (const e of entries.filter((x) => x.status === 'paused')) {
      e.status = 'stopped';
      out.prune.push({ trialId: e.trialId, reason: `pruned at rung ${k} (step ${rungStep(options, k)}): ${metric.name} ${e.value} was not in the top 1/${eta} of the ${entries.length} trials there` });
    }
    arrivalsPending = promoted.length > 0;
  }
  return out;
}
