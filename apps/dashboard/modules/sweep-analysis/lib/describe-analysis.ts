import type { AblationRow, Goal } from '@ablate/contracts';
import { formatMetric, formatParam, formatSpread } from '@/modules/shared/format';

/** `dropout = 0.3` for a knob's row; `baseline` for the baseline's. */
export function rowLabel(row: Pick<AblationRow, 'knob' | 'value'>): string {
  return row.knob === null ? 'baseline' : `${row.knob} = ${formatParam(row.value)}`;
}

/** `dropout 0 · batchNorm false`: the baseline configuration in words. */
export function describeBaseline(baseline: Record<string, unknown>): string {
  const parts = Object.entries(baseline).map(([knob, value]) => `${knob} ${formatParam(value)}`);
  return parts.length > 0 ? parts.join(' · ') : 'no knob with listed values';
}

/** Whether a row beats the baseline, per the metric's goal; null when it cannot be said yet (or on the baseline row). */
export function verdict(row: Pick<AblationRow, 'knob' | 'delta'>, goal: Goal): 'better' | 'worse' | 'same' | null {
  if (row.knob === null || row.delta === null) return null;
  if (row.delta === 0) return 'same';
  return (row.delta > 0) === (goal === 'maximize') ? 'better' : 'worse';
}

/** `+0.06` / `−0.09` / `±0`: 3 significant digits, a difference needs no more. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return '—';
  if (delta === 0) return '±0';
  return `${delta > 0 ? '+' : '−'}${String(Number(Math.abs(delta).toPrecision(3)))}`;
}

/** `0.5800 ± 0.0283` (the std at the mean's decimals); the mean alone below two runs; `—` before any. */
export function formatMeanStd(mean: number | null, std: number | null): string {
  if (mean === null) return '—';
  return std === null ? formatMetric(mean) : `${formatMetric(mean)} ± ${formatSpread(std, mean)}`;
}

/** `61%` with one decimal under 10 %. */
export function formatShare(share: number): string {
  const percent = share * 100;
  return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}
