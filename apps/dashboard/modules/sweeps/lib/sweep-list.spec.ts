import type { SweepSummary } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { applySweepUpdate, listPageHref, pageRange, readListPage } from './sweep-list';

const sweep = (id: string, createdAt: string, patch: Partial<SweepSummary> = {}): SweepSummary => ({
  id,
  name: id,
  project: 'course',
  template: 'mnist-cnn',
  status: 'running',
  metric: { name: 'val_acc', goal: 'maximize' },
  counts: { queued: 0, leased: 0, running: 1, paused: 0, completed: 0, pruned: 0, failed: 0, cancelled: 0 },
  total: 1,
  reason: null,
  launchedBy: 'ada',
  best: 0.8,
  createdAt,
  finishedAt: null,
  ...patch,
});

describe('the sweep list page', () => {
  it('reads ?page and ?project, falling back to the first page of every project', () => {
    expect(readListPage({ page: '3', project: 'course' })).toEqual({ page: 3, project: 'course' });
    expect(readListPage({ page: 'x', project: '' })).toEqual({ page: 1, project: null });
    expect(readListPage({ page: ['2', '3'] })).toEqual({ page: 1, project: null });
    expect(listPageHref({ page: 2, project: 'course' })).toBe('/?project=course&page=2');
    expect(listPageHref({ page: 1, project: null })).toBe('/');
  });

  it('says which rows are shown', () => {
    expect(pageRange(1, 100, 210)).toBe('1–100 of 210');
    expect(pageRange(3, 10, 210)).toBe('201–210 of 210');
    expect(pageRange(1, 0, 0)).toBe('0 of 0');
  });

  it('updates a sweep in place keeping its best score, which live updates do not carry', () => {
    const list = [sweep('b', '2026-11-30T02:00:00Z'), sweep('a', '2026-11-30T01:00:00Z')];
    const { best: _best, ...update } = sweep('a', '2026-11-30T01:00:00Z', { status: 'failed' });
    const next = applySweepUpdate(list, update, { page: 2, project: null });
    expect(next.map((s) => [s.id, s.status, s.best])).toEqual([
      ['b', 'running', 0.8],
      ['a', 'failed', 0.8],
    ]);
  });

  it('adds a new sweep on the first page of its project only, newest first', () => {
    const list = [sweep('a', '2026-11-30T01:00:00Z')];
    const fresh = sweep('n', '2026-11-30T03:00:00Z');
    expect(applySweepUpdate(list, fresh, { page: 1, project: null }).map((s) => s.id)).toEqual(['n', 'a']);
    expect(applySweepUpdate(list, fresh, { page: 2, project: null })).toBe(list);
    expect(applySweepUpdate(list, fresh, { page: 1, project: 'other' })).toBe(list);
  });
});
