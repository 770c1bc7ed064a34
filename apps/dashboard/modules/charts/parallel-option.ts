import type { EChartsCoreOption } from 'echarts/core';
import { formatTick, type ChartTheme } from './chart-data';

/** One axis: numbers on a value axis, anything else (or a short list of values) on a category axis. */
export interface ParallelAxis {
  name: string;
  /** Category axes list their values in this order; value axes leave it out. */
  categories?: string[];
  /** Log scale (a log-uniform knob). */
  log?: boolean;
}

interface OptionInput {
  axes: readonly ParallelAxis[];
  lines: readonly (readonly (number | string | boolean | null)[])[];
  goal: 'minimize' | 'maximize';
  theme: ChartTheme;
  /** Text colour of the page. */
  fg: string;
}

/** The ECharts option: axes with tick labels in the theme's colours, lines coloured by the last axis (the score). */
export function parallelOption({ axes, lines, goal, theme, fg }: OptionInput): EChartsCoreOption {
  const scores = lines.map((l) => l[l.length - 1]).filter((v): v is number => typeof v === 'number');
  const [min, max] = scores.length > 0 ? [Math.min(...scores), Math.max(...scores)] : [0, 1];
  // Worst → best: the muted colour to the accent, whichever way the goal points.
  const ramp = [theme.palette[1] ?? '#e8710a', theme.palette[0] ?? '#3256d6'];
  const axisStyle = { color: theme.axis };
  return {
    animation: false,
    parallel: { left: 60, right: 90, top: 40, bottom: 30, parallelAxisDefault: { nameTextStyle: { color: fg, fontWeight: 'bold' }, axisLabel: axisStyle, axisLine: { lineStyle: { color: theme.axis } }, axisTick: { lineStyle: { color: theme.axis } }, splitLine: { show: false } } },
    parallelAxis: axes.map((axis, dim) =>
      axis.categories ? { dim, name: axis.name, type: 'category' as const, data: axis.categories } : { dim, name: axis.name, type: axis.log ? ('log' as const) : ('value' as const), scale: true },
    ),
    visualMap: {
      type: 'continuous',
      show: true,
      dimension: axes.length - 1,
      min,
      max: max === min ? min + 1 : max,
      inRange: { color: goal === 'maximize' ? ramp : [...ramp].reverse() },
      right: 0,
      top: 'middle',
      itemHeight: 160,
      calculable: false,
      // The scale's ends, the best one marked: which colour is good needs no guessing.
      text: goal === 'maximize' ? [`${formatTick(max)} best`, formatTick(min)] : [formatTick(max), `${formatTick(min)} best`],
      textStyle: { color: theme.axis },
      precision: 3,
    },
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 1, opacity: lines.length > 1000 ? 0.15 : 0.6 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        progressive: 2000,
        data: lines.map((line) => line.map((v) => (typeof v === 'boolean' || v === null ? String(v) : v))),
      },
    ],
  };
}
