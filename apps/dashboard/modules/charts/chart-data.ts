/** One line of a chart: its points in any order, x ascending after `alignSeries`. */
export interface ChartSeries {
  /** Legend label, e.g. `loss` or `#3 val_acc`. */
  label: string;
  /** (x, y) points; x is usually the epoch. */
  points: readonly { x: number; y: number }[];
  /** Index into the theme palette (`--chart-1` …); defaults to the series' position. */
  colorIndex?: number;
  /** Dashed line (e.g. the training curve when train and validation share a chart). */
  dashed?: boolean;
}

/** uPlot's column data: the shared x values, then one column per series with null where it has no point. */
export type AlignedData = [number[], ...(number | null)[][]];

/**
 * Merges each series' x values into one ascending axis and fills the gaps with null, the shape
 * uPlot draws (a series that skipped an epoch shows a gap there instead of a made-up value).
 */
export function alignSeries(series: readonly ChartSeries[]): AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const position = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const p of s.points) column[position.get(p.x) ?? 0] = p.y;
    return column;
  });
  return [xs, ...columns];
}

/** Chart colours, read from the theme's CSS variables so a theme switch recolours the chart. */
export interface ChartTheme {
  palette: string[];
  axis: string;
  grid: string;
  marker: string;
}

const FALLBACK_PALETTE = ['#3256d6', '#d6456b', '#2f9e6e', '#c98a12', '#8a4fd6', '#1f9bb5', '#b5571f', '#6b7280'];

/** The CSS colour of palette entry `index` (wrapping), as `readChartTheme` resolves it: `var(--chart-N, fallback)`. */
export function paletteColor(index: number): string {
  const i = index % FALLBACK_PALETTE.length;
  return `var(--chart-${i + 1}, ${FALLBACK_PALETTE[i]})`;
}

/** Reads `--chart-1..8`, `--chart-axis`, `--chart-grid`, `--fg` (the marker: it must stand out from every series colour) from `element`, with fallbacks for a theme that lacks one. */
export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    palette: FALLBACK_PALETTE.map((fallback, i) => read(`--chart-${i + 1}`, fallback)),
    axis: read('--chart-axis', read('--fg-muted', '#5f6877')),
    grid: read('--chart-grid', read('--border', '#dde1e7')),
    marker: read('--fg', '#1c2230'),
  };
}

/** Short tick text: 3 significant digits, no trailing zeros, exponent for very small or large values. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/**
 * One axis's tick texts, all at the decimals their spacing needs: ticks 0.005 apart read `2.265,
 * 2.270` (each at 3 significant digits both read 2.27), 2.5 apart `0.0, 2.5, 5.0`, whole numbers
 * plain. Very small or large values keep `formatTick`'s exponent; one tick alone is `formatTick`.
 */
export function formatTicks(values: readonly number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  let step = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap > 0 && gap < step) step = gap;
  }
  const magnitude = Math.max(...values.map(Math.abs));
  if (!Number.isFinite(step) || magnitude >= 1e5 || magnitude < 1e-3) return values.map(formatTick);
  let decimals = 0;
  // The fewest decimals that write the step exactly (uPlot steps are 1, 2, 2.5 or 5 times a power of ten).
  while (decimals < 10 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6 * step * 10 ** decimals) decimals++;
  return values.map((v) => v.toFixed(decimals));
}
