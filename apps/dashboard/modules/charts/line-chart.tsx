'use client';

import 'uplot/dist/uPlot.min.css';
import type uPlot from 'uplot';
import { useEffect, useMemo, useRef } from 'react';
import { alignSeries, formatTicks, readChartTheme, type ChartSeries, type ChartTheme } from './chart-data';
import { observeTheme } from './observe-theme';
import styles from './line-chart.module.css';

export type { ChartSeries } from './chart-data';

/** A point to call out on the chart, e.g. the best epoch. */
export interface ChartMarker {
  x: number;
  y: number;
  /** Said in the chart's text description, e.g. "best val_acc 0.91 at epoch 7". */
  label: string;
}

export interface LineChartProps {
  series: readonly ChartSeries[];
  /** Axis titles, e.g. `epoch` and `loss`. */
  xLabel: string;
  yLabel: string;
  /** Accessible name of the chart. */
  title: string;
  marker?: ChartMarker | null;
  /** Pixel height of the plot; the width follows the container. */
  height?: number;
  /** Ticks only on whole numbers of x (epochs, trial counts); default true. */
  integerX?: boolean;
}

/**
 * A line chart on uPlot (canvas: thousands of points stay cheap): axes with tick values and
 * titles, a legend, theme colours from CSS variables (redrawn when the theme changes), an
 * optional marked point, and a width that follows its container. The ticks uPlot draws are also
 * written into a visually hidden description, so screen readers and tests can read them.
 */
export function LineChart({ series, xLabel, yLabel, title, marker = null, height = 240, integerX = true }: LineChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const ticksRef = useRef<HTMLParagraphElement>(null);
  const data = useMemo(() => alignSeries(series), [series]);
  const labels = series.map((s) => `${s.label}${s.dashed ? ' (dashed)' : ''}#${s.colorIndex ?? ''}`).join('|');

  // The chart is built once per shape (series, labels, size, theme); new points (a live epoch) and
  // a moved marker only redraw it, so a trial page that updates every epoch keeps one uPlot.
  const chartRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  const markerRef = useRef(marker);

  // Before the build below (effects run in order), so a rebuild draws the newest points and marker.
  useEffect(() => {
    dataRef.current = data;
    chartRef.current?.setData(data); // rescales and redraws, the marker included
  }, [data]);

  useEffect(() => {
    markerRef.current = marker;
    chartRef.current?.redraw(false);
  }, [marker]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let disposed = false;
    const build = async () => {
      const { default: UPlot } = await import('uplot');
      if (disposed) return;
      chartRef.current?.destroy();
      const ticks = { x: '', y: '' };
      const writeTicks = (axis: 'x' | 'y', values: string[]) => {
        ticks[axis] = values.join(', ');
        if (ticksRef.current) ticksRef.current.dataset[`${axis}Ticks`] = ticks[axis];
        if (ticksRef.current) ticksRef.current.textContent = `${xLabel} axis: ${ticks.x}. ${yLabel} axis: ${ticks.y}.`;
      };
      const theme = readChartTheme(container);
      const options = chartOptions({ series, xLabel, yLabel, marker: () => markerRef.current, height, integerX, theme, width: container.clientWidth, writeTicks });
      chartRef.current = new UPlot(options, dataRef.current, container);
    };
    void build();
    const resize = new ResizeObserver(() => chartRef.current?.setSize({ width: container.clientWidth, height }));
    resize.observe(container);
    const stopTheme = observeTheme(() => void build());
    return () => {
      disposed = true;
      resize.disconnect();
      stopTheme();
      chartRef.current?.destroy();
      chartRef.current = null;
    };
    // `labels` stands for the series' names and styles; their points arrive through `data` (above).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels, xLabel, yLabel, height, integerX]);

  return (
    <figure className={styles.figure} aria-label={title} role="group">
      <div ref={containerRef} className={styles.plot} data-testid="line-chart" />
      <p ref={ticksRef} className={styles.srOnly} data-testid="chart-ticks" />
      {marker && <figcaption className={styles.marker}>◆ {marker.label}</figcaption>}
    </figure>
  );
}

interface OptionsInput {
  series: readonly ChartSeries[];
  xLabel: string;
  yLabel: string;
  /** The marker to draw now (read at each draw: it moves without a rebuild). */
  marker: () => ChartMarker | null;
  height: number;
  integerX: boolean;
  width: number;
  theme: ChartTheme;
  writeTicks: (axis: 'x' | 'y', values: string[]) => void;
}

function chartOptions({ series, xLabel, yLabel, marker, height, integerX, width, theme, writeTicks }: OptionsInput): uPlot.Options {
  const axis = (label: string, which: 'x' | 'y'): uPlot.Axis => ({
    label,
    stroke: theme.axis,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    values: (_u, splits) => {
      const values = formatTicks(splits);
      writeTicks(which, values);
      return values;
    },
  });
  return {
    width: Math.max(width, 200),
    height,
    // Epochs are plain numbers, not times.
    // y padded by 8 % of its span, so a point at the top or bottom (often the marked best) is not cut by the edge.
    scales: { x: { time: false }, y: { range: (_u, min, max) => padRange(min, max) } },
    axes: [{ ...axis(xLabel, 'x'), ...(integerX ? { incrs: INTEGER_INCREMENTS } : {}) }, axis(yLabel, 'y')],
    // Names and colours only: hover values would read `--` until the pointer is over the plot.
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: xLabel },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: theme.palette[(s.colorIndex ?? i) % theme.palette.length],
        width: 2,
        dash: s.dashed ? [6, 4] : undefined,
        spanGaps: true,
        points: { show: true, size: 5 },
      })),
    ],
    hooks: {
      draw: [
        (u: uPlot) => {
          const m = marker();
          if (m) drawMarker(u, m, theme.marker);
        },
      ],
    },
  };
}

function padRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const pad = (max - min) * 0.08 || Math.abs(max) * 0.05 || 1;
  return [min - pad, max + pad];
}

/** Tick steps for whole-number x values (epochs): never 1.5. */
const INTEGER_INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

/** A diamond and a dashed vertical line at the marked point, drawn over the series. */
function drawMarker(u: uPlot, marker: ChartMarker, color: string): void {
  const x = u.valToPos(marker.x, 'x', true);
  const y = u.valToPos(marker.y, 'y', true);
  const { ctx } = u;
  const r = 7 * devicePixelRatio;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = devicePixelRatio;
  ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}
