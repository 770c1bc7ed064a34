'use client';

import { useEffect } from 'react';
import type { RowWindow } from './use-windowed-rows';

/** Tells the feed which rows are in view, so it fetches their pages (and only theirs). */
export function useWindowReport(range: RowWindow, onRange: (start: number, end: number) => void): void {
  const { start, end } = range;
  useEffect(() => onRange(start, end), [start, end, onRange]);
}
