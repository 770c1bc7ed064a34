'use client';

import { useEffect, useRef, useState } from 'react';

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render. */
  end: number;
  /** Height of the rows above/below the window, kept as spacers so the scrollbar stays true. */
  padTop: number;
  padBottom: number;
}

/** Until the container is measured (and on the server), render about a screenful. */
const INITIAL_VIEWPORT = 720;

/**
 * Windowing for a fixed-row-height list inside a scroll container: only the rows in view (plus
 * `overscan` on each side) are rendered, so 10,000 rows cost the DOM of about 40. Scroll and
 * resize are read at most once per animation frame.
 */
export function useWindowedRows<E extends HTMLElement>(count: number, rowHeight: number, overscan = 10) {
  const containerRef = useRef<E>(null);
  const [viewport, setViewport] = useState({ top: 0, height: INITIAL_VIEWPORT });

  useEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    let frame: number | null = null;
    const measure = () => {
      frame = null;
      const next = { top: element.scrollTop, height: element.clientHeight };
      setViewport((v) => (v.top === next.top && v.height === next.height ? v : next));
    };
    const onChange = () => {
      frame ??= requestAnimationFrame(measure);
    };
    onChange();
    element.addEventListener('scroll', onChange, { passive: true });
    const resize = new ResizeObserver(onChange);
    resize.observe(element);
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      element.removeEventListener('scroll', onChange);
      resize.disconnect();
    };
  }, []);

  const start = Math.max(0, Math.floor(viewport.top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((viewport.top + viewport.height) / rowHeight) + overscan);
  const range: RowWindow = { start, end: Math.max(start, end), padTop: start * rowHeight, padBottom: Math.max(0, count - Math.max(start, end)) * rowHeight };
  return { containerRef, range };
}
