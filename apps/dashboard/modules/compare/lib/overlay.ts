import type { MetricPoint } from '@ablate/contracts';
import type { ChartSeries } from '@/modules/charts/chart-data';
import { seriesByName } from '@/modules/trial/lib/curves';

/** A metric's curves, one series per trial. */
export interface OverlayChart {
  metric: string;
  series: ChartSeries[];
}

/** A metric reported once per trial (e.g. `test_acc`): a table row, not a chart of dots. */
export interface OverlayValue {
  metric: string;
  /** Each trial's value, in the trials' order (null where it has none). */
  values: (number | null)[];
}

/**
 * One chart per metric with every trial's curve on it (colour = the trial's position, the same on
 * every chart); metrics no trial reported more than once, while other metrics have curves, become
 * values. Charts in name order, validation metrics first (they are what ranks trials).
 */
export function overlayCurves(trials: readonly { label: string; points: readonly MetricPoint[] }[]): { charts: OverlayChart[]; values: OverlayValue[] } {
  const perTrial = trials.map((t) => seriesByName(t.points));
  const names = [...new Set(perTrial.flatMap((m) => [...m.keys()]))];
  const longest = (name: string) => Math.max(0, ...perTrial.map((m) => m.get(name)?.length ?? 0));
  const anyCurve = names.some((n) => longest(n) > 1);
  const charts: OverlayChart[] = [];
  const values: OverlayValue[] = [];
  for (const metric of names) {
    if (anyCurve && longest(metric) <= 1) {
      values.push({ metric, values: perTrial.map((m) => m.get(metric)?.[0]?.value ?? null) });
      continue;
    }
    const series = trials.map((t, i) => ({
      label: t.label,
      colorIndex: i,
      points: (perTrial[i]?.get(metric) ?? []).map((p) => ({ x: p.step, y: p.value })),
    }));
    charts.push({ metric, series: series.filter((s) => s.points.length > 0) });
  }
  const rank = (m: string) => (m.startsWith('val') ? 0 : 1);
  charts.sort((a, b) => rank(a.metric) - rank(b.metric) || a.metric.localeCompare(b.metric));
  values.sort((a, b) => a.metric.localeCompare(b.metric));
  return { charts, values };
}
