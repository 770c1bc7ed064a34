'use client';

import type { EChartsType } from 'echarts/core';
import { useEffect, useRef } from 'react';
import { readChartTheme } from './chart-data';
import { observeTheme } from './observe-theme';
import { parallelOption, type ParallelAxis } from './parallel-option';
import styles from './parallel-coordinates.module.css';

export type { ParallelAxis } from './parallel-option';

export interface ParallelCoordinatesProps {
  /** One axis per knob, then the score's. */
  axes: readonly ParallelAxis[];
  /** One line per trial: a value per axis, in `axes` order (the score last). */
  lines: readonly (readonly (number | string | boolean | null)[])[];
  /** Colour by the last axis: `maximize` paints high scores in the best colour. */
  goal: 'minimize' | 'maximize';
  /** Accessible name. */
  title: string;
  height?: number;
}

/**
 * Parallel coordinates on ECharts (canvas, tree-shaken: only the parallel series, its axes and the
 * colour scale are loaded, and only when the chart is first shown). Each line is a trial, coloured
 * by its score; axes carry their values (a list of values is a category axis). Colours come from
 * the theme's CSS variables and follow a theme change.
 */
export function ParallelCoordinates({ axes, lines, goal, title, height = 320 }: ParallelCoordinatesProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let disposed = false;
    const draw = async () => {
      const [core, charts, components, renderers] = await Promise.all([import('echarts/core'), import('echarts/charts'), import('echarts/components'), import('echarts/renderers')]);
      if (disposed) return;
      core.use([charts.ParallelChart, components.ParallelComponent, components.VisualMapContinuousComponent, components.TooltipComponent, renderers.CanvasRenderer]);
      chartRef.current ??= core.init(element, undefined, { renderer: 'canvas' });
      chartRef.current.setOption(parallelOption({ axes, lines, goal, theme: readChartTheme(element), fg: getComputedStyle(element).color }), { notMerge: true, lazyUpdate: true });
    };
    void draw();
    const resize = new ResizeObserver(() => chartRef.current?.resize());
    resize.observe(element);
    const stopTheme = observeTheme(() => void draw());
    return () => {
      disposed = true;
      resize.disconnect();
      stopTheme();
    };
  }, [axes, lines, goal]);

  useEffect(
    () => () => {
      chartRef.current?.dispose();
      chartRef.current = null;
    },
    [],
  );

  return (
    <figure className={styles.figure} aria-label={title} role="group">
      <div ref={ref} className={styles.plot} style={{ height }} data-testid="parallel-coordinates" data-lines={lines.length} />
      <p className={styles.srOnly}>
        {lines.length} lines over the axes {axes.map((a) => a.name).join(', ')}.
      </p>
    </figure>
  );
}
