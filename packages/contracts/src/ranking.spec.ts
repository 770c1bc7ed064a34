import { describe, expect, it } from 'vitest';
import { isBetter, rankTrials } from './ranking.js';
import type { TrialSummary } from './trial.schema.js';

function trial(index: number, score: number | null): TrialSummary {
  return {
    id: `t${index}`, sweepId: 's', index, params: {}, status: score === null ? 'queued' : 'running', attempt: 1,
    step: null, metrics: {}, score, backend: null, error: null, statusReason: null, createdAt: '', startedAt: null, finishedAt: null,
  };
}

describe('rankTrials', () => {
  it('puts the highest score first when maximizing, unscored last by index', () => {
    const ranked = rankTrials([trial(0, 0.5), trial(1, null), trial(2, 0.9), trial(3, 0.7), trial(4, null)], 'maximize');
    expect(ranked.map((t) => [t.id, t.rank])).toEqual([
      ['t2', 1], ['t3', 2], ['t0', 3], ['t1', null], ['t4', null],
    ]);
  });

  it('puts the lowest score first when minimizing', () => {
    const ranked = rankTrials([trial(0, 0.5), trial(1, 0.1), trial(2, 0.3)], 'minimize');
    expect(ranked.map((t) => t.id)).toEqual(['t1', 't2', 't0']);
  });

  it('gives equal scores the same rank and breaks the tie by index', () => {
    const ranked = rankTrials([trial(3, 0.8), trial(1, 0.8), trial(2, 0.9), trial(0, 0.1)], 'maximize');
    expect(ranked.map((t) => [t.id, t.rank])).toEqual([['t2', 1], ['t1', 2], ['t3', 2], ['t0', 4]]);
  });
});

describe('isBetter', () => {
  it('follows the goal and accepts any value over none', () => {
    expect(isBetter(1, null, 'minimize')).toBe(true);
    expect(isBetter(1, 2, 'minimize')).toBe(true);
    expect(isBetter(1, 2, 'maximize')).toBe(false);
  });
});
