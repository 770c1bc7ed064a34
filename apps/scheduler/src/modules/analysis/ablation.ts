import { BASELINE_RULE, type AblationRow, type AnalysisKnob, type SweepAnalysis } from '@ablate/contracts';
import { valueKey, type AnalysedTrial, type KnobValue } from './analysis-knobs.js';

/**
 * The course's results table: the baseline configuration (every discrete knob at its baseline)
 * and, for each knob and each of its other values, the configurations that differ from the
 * baseline in that knob only. Each row: mean ± sample std of the completed runs' scores over
 * seeds, n, and the difference to the baseline's mean. Range knobs have no baseline and no rows;
 * trials are matched on the listed knobs only.
 */
export function ablation(knobs: readonly AnalysisKnob[], trials: readonly AnalysedTrial[]): SweepAnalysis['ablation'] {
  const discrete = knobs.map((k, column) => ({ ...k, column }))
    // A range knob, even one that produced few values, lists no baseline: it is not matched on.
    .filter((k) => k.kind === 'discrete' && k.baseline !== null);
  const baseline = Object.fromEntries(discrete.map((k) => [k.name, k.baseline]));
  // Per trial: how many discrete knobs are off the baseline, and the first one that is.
  const baseScores: number[] = [];
  const oneAway = new Map<string, number[]>();
  for (const t of trials) {
    let off: { knob: string; value: KnobValue } | null = null;
    let offCount = 0;
    for (const k of discrete) {
      const value = t.values[k.column] ?? null;
      if (valueKey(value) === valueKey(k.baseline)) continue;
      offCount += 1;
      off = { knob: k.name, value };
      if (offCount > 1) break;
    }
    if (offCount === 0) baseScores.push(t.score);
    else if (offCount === 1 && off) pushTo(oneAway, rowKey(off.knob, off.value), t.score);
  }
  const base = summarize(baseScores);
  const rows: AblationRow[] = [{ knob: null, value: null, ...base, delta: base.mean === null ? null : 0 }];
  for (const k of discrete) {
    for (const value of k.values) {
      if (valueKey(value) === valueKey(k.baseline)) continue;
      const stats = summarize(oneAway.get(rowKey(k.name, value)) ?? []);
      rows.push({ knob: k.name, value, ...stats, delta: stats.mean === null || base.mean === null ? null : stats.mean - base.mean });
    }
  }
  return { rule: BASELINE_RULE, baseline, rows };
}

const rowKey = (knob: string, value: unknown) => `${knob}\u0000${valueKey(value)}`;

function pushTo(map: Map<string, number[]>, key: string, score: number): void {
  const list = map.get(key);
  if (list) list.push(score);
  else map.set(key, [score]);
}

/** Mean, sample standard deviation (n − 1; null below 2) and n. */
export function summarize(scores: readonly number[]): { mean: number | null; std: number | null; n: number } {
  const n = scores.length;
  if (n === 0) return { mean: null, std: null, n };
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: null, n };
  const variance = scores.reduce((sum, s) => sum + (s - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}
