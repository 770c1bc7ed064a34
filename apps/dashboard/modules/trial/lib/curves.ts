import type { MetricPoint } from '@ablate/contracts';

/** A chart of one metric: its training and validation series together (either may be missing). */
export interface CurvePair {
  /** The metric without prefix, e.g. `loss` for `loss` and `val_loss`. */
  name: string;
  train: { name: string; points: MetricPoint[] } | null;
  validation: { name: string; points: MetricPoint[] } | null;
}

/** A metric reported once (e.g. `test_acc` at the end): shown as a value, not as a lone dot. */
export interface SingleValue {
  name: string;
  value: number;
  step: number;
}

export interface TrialCurves {
  pairs: CurvePair[];
  singles: SingleValue[];
}

const VALIDATION_PREFIXES = ['val_', 'validation_', 'valid_'];
const TRAIN_PREFIXES = ['train_', 'training_'];

/** `val_loss` → `loss`; `train_acc` → `acc`; anything else as it is. */
function baseName(metric: string): { base: string; role: 'train' | 'validation' } {
  for (const prefix of VALIDATION_PREFIXES) if (metric.startsWith(prefix)) return { base: metric.slice(prefix.length), role: 'validation' };
  for (const prefix of TRAIN_PREFIXES) if (metric.startsWith(prefix)) return { base: metric.slice(prefix.length), role: 'train' };
  return { base: metric, role: 'train' };
}

/** Points by metric name, each in step order. */
export function seriesByName(points: readonly MetricPoint[]): Map<string, MetricPoint[]> {
  const series = new Map<string, MetricPoint[]>();
  for (const point of points) {
    const list = series.get(point.name) ?? [];
    list.push(point);
    series.set(point.name, list);
  }
  for (const list of series.values()) list.sort((a, b) => a.step - b.step);
  return series;
}

/**
 * Pairs each training metric with its validation metric (`loss` with `val_loss`, `train_acc` with
 * `val_acc`) so both share one chart, and sets apart the metrics reported once while others have
 * a curve (`test_acc` after the last epoch) or named `test_*`: a single point is a value, not a chart.
 */
export function pairCurves(points: readonly MetricPoint[]): TrialCurves {
  const series = seriesByName(points);
  const longest = Math.max(0, ...[...series.values()].map((s) => s.length));
  const singles: SingleValue[] = [];
  const pairs = new Map<string, CurvePair>();
  for (const [name, list] of series) {
    const last = list[list.length - 1];
    if (last && list.length === 1 && (longest > 1 || name.startsWith('test'))) {
      singles.push({ name, value: last.value, step: last.step });
      continue;
    }
    const { base, role } = baseName(name);
    const pair = pairs.get(base) ?? { name: base, train: null, validation: null };
    pair[role] = { name, points: list };
    pairs.set(base, pair);
  }
  const ordered = [...pairs.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { pairs: ordered, singles: singles.sort((a, b) => a.name.localeCompare(b.name)) };
}

/** The point with the best value of `points` (the first one on a tie), or null for none. */
export function bestPoint(points: readonly MetricPoint[], goal: 'minimize' | 'maximize'): MetricPoint | null {
  let best: MetricPoint | null = null;
  for (const p of points) {
    if (!best || (goal === 'maximize' ? p.value > best.value : p.value < best.value)) best = p;
  }
  return best;
}

/** Where the best epoch (by the sweep's ranking metric) sits on one chart: on its validation series, else its training one. */
export function markerFor(pair: CurvePair, best: MetricPoint | null): { x: number; y: number } | null {
  if (!best) return null;
  for (const side of [pair.validation, pair.train]) {
    const at = side?.points.find((p) => p.step === best.step);
    if (at) return { x: at.step, y: at.value };
  }
  return null;
}
