import type { TrialSummary } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { TrialStore } from './trial-store';

function trial(index: number, patch: Partial<TrialSummary> = {}): TrialSummary {
  return {
    id: `t${index}`,
    sweepId: 's1',
    index,
    params: { dropout: index / 10 },
    status: 'queued',
    attempt: 1,
    step: null,
    metrics: {},
    score: null,
    backend: null,
    error: null,
    statusReason: null,
    createdAt: '2026-11-27T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...patch,
  };
}

const ids = (store: TrialStore) => store.ranked().map((t) => `${t.id}:${t.rank ?? '-'}`);

describe('TrialStore', () => {
  it('replaces a trial by id and re-ranks on demand', () => {
    const store = new TrialStore('maximize', [trial(0), trial(1), trial(2)]);
    store.apply(trial(2, { status: 'running', score: 0.5 }));
    store.apply(trial(0, { status: 'completed', score: 0.9 }));
    expect(store.size).toBe(3);
    expect(ids(store)).toEqual(['t0:1', 't2:2', 't1:-']);
  });

  it('ranks lower-is-better metrics ascending', () => {
    const store = new TrialStore('minimize', [trial(0, { score: 2.2 }), trial(1, { score: 2.1 })]);
    expect(ids(store)).toEqual(['t1:1', 't0:2']);
  });

  it('replays events that arrived during a resync over the snapshot', () => {
    const store = new TrialStore('maximize', [trial(0), trial(1)]);
    store.beginResync();
    store.apply(trial(1, { score: 0.7, status: 'running' }));
    // The snapshot was read before that event: it must not win.
    store.resync('maximize', [trial(0, { score: 0.2 }), trial(1), trial(2)]);
    expect(ids(store)).toEqual(['t1:1', 't0:2', 't2:-']);
    // After the resync events apply directly again.
    store.apply(trial(2, { score: 0.9 }));
    expect(ids(store)).toEqual(['t2:1', 't1:2', 't0:3']);
  });

  it('stops keeping events when a subscription fails', () => {
    const store = new TrialStore('maximize', [trial(0)]);
    store.beginResync();
    store.abandonResync();
    store.apply(trial(0, { score: 1 }));
    store.resync('maximize', [trial(0)]);
    expect(ids(store)).toEqual(['t0:-']);
  });
});
