import type { TrialLogLine } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { MAX_LOG_LINES, mergeLogLines } from './log-lines';

const line = (attempt: number, seq: number): TrialLogLine => ({ attempt, seq, stream: 'stdout', line: `${attempt}/${seq}`, at: '2026-01-01T00:00:00Z' });

describe('mergeLogLines', () => {
  it('keeps a line sent twice once and orders by attempt, then seq', () => {
    const merged = mergeLogLines([line(1, 0), line(1, 1), line(2, 0)], [line(1, 1), line(1, 2), line(2, 1)]);
    expect(merged.map((l) => l.line)).toEqual(['1/0', '1/1', '1/2', '2/0', '2/1']);
  });

  it('keeps only the last lines', () => {
    const many = Array.from({ length: MAX_LOG_LINES + 5 }, (_, i) => line(1, i));
    const merged = mergeLogLines([], many);
    expect(merged).toHaveLength(MAX_LOG_LINES);
    expect(merged[0]?.seq).toBe(5);
  });
});
