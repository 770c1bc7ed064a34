import type { LeaderboardPage, RankedTrial, TrialSummary } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW } from './leaderboard-view';
import { PAGE_SIZE, PageCache } from './page-cache';

function trial(index: number, score: number | null, patch: Partial<TrialSummary> = {}): TrialSummary {
  return {
    id: `t${index}`, sweepId: 's1', index, params: {}, status: 'running', attempt: 1, step: 1, metrics: {}, score,
    backend: null, error: null, statusReason: null, createdAt: '', startedAt: null, finishedAt: null, ...patch,
  };
}

/** Trials ranked 1..n with scores n, n-1, ... (maximize). */
function top(n: number, from = 0): RankedTrial[] {
  return Array.from({ length: n }, (_, i) => ({ ...trial(from + i, 10_000 - from - i), rank: from + i + 1 }));
}

const page = (trials: RankedTrial[], total: number, offset = 0): LeaderboardPage => ({ total, offset, trials, configurations: [] });

describe('PageCache', () => {
  it('takes a snapshot as the first pages of the default view; a short last page only when the sweep ends there', () => {
    const big = new PageCache(DEFAULT_VIEW, 'maximize');
    big.seed(top(150), 10_000);
    expect(big.rowAt(99)).toMatchObject({ id: 't99' });
    expect(big.rowAt(120)).toBeUndefined();
    expect(big.pagesToFetch(0, 40)).toEqual([]);
    expect(big.pagesToFetch(90, 130)).toEqual([1]);

    const small = new PageCache(DEFAULT_VIEW, 'maximize');
    small.seed(top(150), 150);
    expect(small.pagesToFetch(0, 500)).toEqual([]);
    expect(small.rowAt(149)).toMatchObject({ id: 't149', rank: 150 });

    const grouped = new PageCache({ ...DEFAULT_VIEW, group: 'config' }, 'maximize');
    grouped.seed(top(150), 150);
    expect(grouped.pagesToFetch(0, 40)).toEqual([0]);
  });

  it('patches a loaded row in place, and asks for a re-fetch only when its score moved', () => {
    const cache = new PageCache(DEFAULT_VIEW, 'maximize');
    cache.seed(top(PAGE_SIZE), 1000);
    expect(cache.applyTrial(trial(5, 10_000 - 5, { step: 7, metrics: { val_acc: 0.5 } }), 0, 30)).toBe(false);
    expect(cache.rowAt(5)).toMatchObject({ id: 't5', step: 7, rank: 6, metrics: { val_acc: 0.5 } });
    expect(cache.applyTrial(trial(5, 20_000), 0, 30)).toBe(true);
    expect(cache.rowAt(5)).toMatchObject({ score: 20_000, rank: 6 });
  });

  it('a trial that is not loaded matters only when its score may rank it among the rows in view', () => {
    const cache = new PageCache(DEFAULT_VIEW, 'maximize');
    cache.seed(top(PAGE_SIZE), 1000);
    // Rows 0..29 in view: the worst shown score is 10,000 - 29.
    expect(cache.applyTrial(trial(500, 5), 0, 30)).toBe(false);
    expect(cache.applyTrial(trial(500, null), 0, 30)).toBe(false);
    expect(cache.applyTrial(trial(500, 10_000 - 29), 0, 30)).toBe(true);
    expect(cache.applyTrial(trial(500, 99_999), 0, 30)).toBe(true);
    // Rows in view that are not loaded yet: anything may land there.
    expect(cache.applyTrial(trial(500, 5), 90, 130)).toBe(true);
    const minimize = new PageCache(DEFAULT_VIEW, 'minimize');
    minimize.seed(top(PAGE_SIZE), 1000);
    expect(minimize.applyTrial(trial(500, 5), 0, 30)).toBe(true);
  });

  it('re-fetches on every event in other views (filters, other orders, configurations)', () => {
    const filtered = new PageCache({ ...DEFAULT_VIEW, status: 'completed' }, 'maximize');
    filtered.completeFetch(filtered.beginFetch(0), page(top(10), 10));
    expect(filtered.applyTrial(trial(3, 10_000 - 3), 0, 30)).toBe(true);
    const grouped = new PageCache({ ...DEFAULT_VIEW, group: 'config' }, 'maximize');
    expect(grouped.applyTrial(trial(3, 1), 0, 30)).toBe(true);
  });

  it('lays events that arrived during a fetch over its (older) answer', () => {
    const cache = new PageCache(DEFAULT_VIEW, 'maximize');
    const ticket = cache.beginFetch(0);
    expect(cache.pagesToFetch(0, 40)).toEqual([]);
    cache.applyTrial(trial(2, 10_000 - 2, { step: 9 }), 0, 40);
    // The answer was read before that event: its row for t2 is at step 1.
    expect(cache.completeFetch(ticket, page(top(50), 50))).toBe(true);
    expect(cache.rowAt(2)).toMatchObject({ id: 't2', step: 9, rank: 3 });
    expect(cache.total).toBe(50);
    // Once nothing is in flight the next answer is taken as it is.
    expect(cache.completeFetch(cache.beginFetch(0), page(top(50), 50))).toBe(false);
  });

  it('lays events that arrived after a (re)subscription over its snapshot', () => {
    const cache = new PageCache(DEFAULT_VIEW, 'maximize');
    cache.seed(top(PAGE_SIZE), 1000);
    const ticket = cache.beginSnapshot();
    cache.applyTrial(trial(4, 10_000 - 4, { step: 5 }), 0, 30);
    // The snapshot was read before that event: its t4 is at step 1.
    expect(cache.seed(top(PAGE_SIZE), 1000, ticket)).toBe(true);
    expect(cache.rowAt(4)).toMatchObject({ id: 't4', step: 5, rank: 5 });
    expect(cache.seed(top(PAGE_SIZE), 1000, cache.beginSnapshot())).toBe(false);
    expect(cache.rowAt(4)).toMatchObject({ step: 1 });
  });

  it('keeps stale pages on screen until they are fetched again, and drops answers it no longer waits for', () => {
    const cache = new PageCache(DEFAULT_VIEW, 'maximize');
    cache.seed(top(200), 1000);
    cache.invalidate();
    expect(cache.rowAt(0)).toMatchObject({ id: 't0' });
    expect(cache.pagesToFetch(0, 150)).toEqual([0, 1]);
    const first = cache.beginFetch(0);
    cache.failFetch(first);
    const second = cache.beginFetch(0);
    expect(cache.completeFetch(first, page(top(5), 5))).toBe(false);
    expect(cache.total).toBe(1000);
    cache.completeFetch(second, page(top(PAGE_SIZE, 0), 1000));
    expect(cache.pagesToFetch(0, 150)).toEqual([1]);
  });
});
