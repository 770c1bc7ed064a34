import type { LeaderboardPage, LeaderboardQueryInput, RankedTrial, SweepDetail, SweepEvent, SweepSpec, TrialSummary } from '@ablate/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeLiveSocket } from '@/modules/scheduler/fake-live-socket';
import { LeaderboardFeed, REFETCH_DELAY_MS, type FeedClient } from './leaderboard-feed';
import { DEFAULT_VIEW } from './leaderboard-view';

const trial = (index: number, score: number | null, patch: Partial<TrialSummary> = {}): TrialSummary => ({
  id: `t${index}`, sweepId: 's1', index, params: { dropout: 0 }, status: 'running', attempt: 1, step: 1, metrics: {}, score,
  backend: null, error: null, statusReason: null, createdAt: '', startedAt: null, finishedAt: null, ...patch,
});
const ranked = (n: number): RankedTrial[] => Array.from({ length: n }, (_, i) => ({ ...trial(i, 100 - i), rank: i + 1 }));
const sweep: SweepDetail['sweep'] = {
  id: 's1', name: 's', project: 'p', template: 'mnist-cnn', status: 'running', metric: { name: 'val_acc', goal: 'maximize' },
  counts: { queued: 0, leased: 0, running: 50, paused: 0, completed: 0, pruned: 0, failed: 0, cancelled: 0 }, total: 50,
  reason: null, launchedBy: null, createdAt: '', finishedAt: null, spec: { parameters: {} } as unknown as SweepSpec,
};

describe('LeaderboardFeed', () => {
  let calls: LeaderboardQueryInput[];
  let client: FeedClient;
  let socket: FakeLiveSocket;
  let feed: LeaderboardFeed;

  beforeEach(() => {
    vi.useFakeTimers();
    calls = [];
    client = {
      getLeaderboard: (_id, query) => {
        calls.push(query);
        return Promise.resolve<LeaderboardPage>({ total: 50, offset: 0, trials: ranked(50), configurations: [] });
      },
      listSweepEvents: () => Promise.resolve({ events: [] }),
    };
    socket = new FakeLiveSocket(true, (event) => (event === 'sweep:subscribe' ? { sweep, trials: ranked(50) } : undefined));
    feed = new LeaderboardFeed('http://api', client, { sweep, trials: ranked(50), events: [], view: DEFAULT_VIEW }, () => socket.socket);
  });
  afterEach(() => vi.useRealTimers());

  it('starts from the snapshot, and re-fetches the rows in view once per burst of rank-changing events', async () => {
    const stop = feed.start();
    socket.push('connect');
    expect(calls).toEqual([]);
    for (let i = 0; i < 50; i++) socket.push('trial:updated', trial(i, 200 + i));
    // Another sweep's trial and a malformed one are dropped.
    socket.push('trial:updated', { ...trial(1, 999), sweepId: 'other' });
    socket.push('trial:updated', { nonsense: true });
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(REFETCH_DELAY_MS);
    expect(calls).toEqual([{ offset: 0, limit: 100, sort: 'rank', group: 'trial' }]);
    expect(feed.rowAt(1)).toMatchObject({ id: 't1', rank: 2 });
    stop();
  });

  it('patches a row in place when its score stays, without a request', async () => {
    feed.start();
    socket.push('trial:updated', trial(3, 97, { step: 9 }));
    await vi.advanceTimersByTimeAsync(REFETCH_DELAY_MS * 4);
    expect(calls).toEqual([]);
    expect(feed.rowAt(3)).toMatchObject({ step: 9, rank: 4 });
  });

  it('switching views fetches the new view, and coming back re-reads rows the snapshot may no longer match', async () => {
    feed.start();
    feed.setView({ ...DEFAULT_VIEW, group: 'config' });
    feed.setView(DEFAULT_VIEW);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.group)).toEqual(['config', 'trial']);
  });

  it('merges pushed events, and re-reads the rows when the sweep gains trials', async () => {
    const listener = vi.fn();
    feed.subscribe(listener);
    feed.start();
    const event: SweepEvent = { id: 2, sweepId: 's1', trialId: null, action: 'paused', actor: 'dashboard (127.0.0.1)', detail: {}, at: '2026-11-30T10:00:00.000Z' };
    socket.push('sweep:event', event);
    socket.push('sweep:event', event);
    socket.push('sweep:updated', { ...sweep, total: 60, status: 'paused' });
    await vi.advanceTimersByTimeAsync(REFETCH_DELAY_MS);
    expect(feed.getState().events).toEqual([event]);
    expect(feed.getState().sweep).toMatchObject({ status: 'paused', total: 60 });
    expect(calls).toHaveLength(1);
    expect(listener).toHaveBeenCalled();
  });
});
