import type { ConfigurationRow, RankedTrial, SweepDetail, SweepSummary, TrialSummary } from '@ablate/contracts';
import { createLiveSocket, type LiveSocket } from '@/modules/scheduler/live-socket';
import { mergeEvents } from '@/modules/sweep-events/lib/merge-events';
import { viewQuery, type LeaderboardView } from './leaderboard-view';
import { PAGE_SIZE, PageCache, type FetchTicket } from './page-cache';
import type { FeedClient, FeedInit, FeedState } from './feed-state';
import { FrameNotifier } from './frame-notifier';
import { subscribeToSweep } from './sweep-subscription';

export type { FeedClient, FeedInit, FeedState } from './feed-state';

/** Rank-changing events re-fetch the rows in view at most this often. */
export const REFETCH_DELAY_MS = 250;

/**
 * One sweep page's live data, outside React: the `/live` subscription (sweep, counts, events,
 * trial events) and the table's rows, paged from `GET /api/sweeps/:id/leaderboard` for the rows in
 * view. React reads it with `useSyncExternalStore`; changes reach it at most once per frame.
 */
export class LeaderboardFeed {
  private state: FeedState;
  private cache: PageCache;
  private range = { start: 0, end: 60 };
  private snapshot: RankedTrial[];
  private readonly notifier = new FrameNotifier();
  private refetchTimer: ReturnType<typeof setTimeout> | null = null;
  private watched = new Map<string, TrialSummary>();
  private snapshotTicket: FetchTicket | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly client: FeedClient,
    init: FeedInit,
    private readonly openSocket: (apiUrl: string) => LiveSocket = createLiveSocket,
  ) {
    this.snapshot = init.trials;
    this.cache = this.newCache(init.view, init.sweep);
    if (init.page) this.cache.completeFetch(this.cache.beginFetch(0), init.page);
    this.state = { sweep: init.sweep, events: init.events, connection: 'connecting', error: null, pageError: null, view: init.view, total: this.cache.total ?? init.sweep.total };
  }

  readonly subscribe = this.notifier.subscribe;

  readonly getState = (): FeedState => this.state;

  rowAt(index: number): RankedTrial | ConfigurationRow | undefined {
    return this.cache.rowAt(index);
  }

  /** The grouped table's row for a configuration, as last loaded. */
  configuration(key: string): ConfigurationRow | undefined {
    return this.cache.configuration(key);
  }

  /** The latest state of a trial the page shows in detail, once an event has come for it. */
  watchedTrial(id: string): TrialSummary | undefined {
    return this.watched.get(id);
  }

  watch(id: string | null): void {
    this.watched = new Map([...this.watched].filter(([key]) => key === id));
    if (id !== null && !this.watched.has(id)) {
      const loaded = this.cache.trial(id);
      if (loaded) this.watched.set(id, loaded);
    }
  }

  /** Opens the socket; returns the cleanup. */
  start(): () => void {
    const unsubscribe = subscribeToSweep(this.openSocket(this.apiUrl), this.state.sweep.id, {
      connection: (connection) => this.update({ connection }),
      subscribing: () => (this.snapshotTicket = this.cache.beginSnapshot()),
      snapshot: (detail, refusal) => this.onSnapshot(detail, refusal),
      trial: (trial) => this.onTrial(trial),
      sweep: (summary) => this.onSweep(summary),
      event: (event) => this.update({ events: mergeEvents(this.state.events, [event]) }),
    });
    this.fetchVisible();
    return () => {
      if (this.refetchTimer) clearTimeout(this.refetchTimer);
      this.refetchTimer = null;
      unsubscribe();
    };
  }

  setView(view: LeaderboardView): void {
    this.cache = this.newCache(view, this.state.sweep);
    // The snapshot predates the events since: shown until the rows in view are fetched again.
    this.cache.invalidate();
    this.update({ view, total: this.cache.total ?? this.state.total, pageError: null });
    this.fetchVisible();
  }

  setRange(start: number, end: number): void {
    this.range = { start, end };
    this.fetchVisible();
  }

  /** A sweep summary from a steering call's answer (the push brings the same moments later). */
  applySweep(summary: SweepSummary): void {
    this.state = { ...this.state, sweep: { ...this.state.sweep, ...summary } };
    // At once, not next frame: the optimistic status gives way to this one in the same render.
    this.notifier.now();
  }

  private newCache(view: LeaderboardView, sweep: SweepDetail['sweep']): PageCache {
    const cache = new PageCache(view, sweep.metric.goal);
    cache.seed(this.snapshot, sweep.total);
    return cache;
  }

  private onSnapshot(detail: SweepDetail | null, refusal: string | null): void {
    if (!detail) {
      if (this.snapshotTicket) this.cache.failFetch(this.snapshotTicket);
      return this.update({ error: refusal });
    }
    this.snapshot = detail.trials;
    if (this.cache.seed(detail.trials, detail.sweep.total, this.snapshotTicket)) this.scheduleRefetch();
    this.update({ error: null, sweep: detail.sweep, total: this.cache.total ?? detail.sweep.total });
    this.fetchVisible();
    // Events recorded while the socket was away are not replayed by the subscription.
    void this.client.listSweepEvents(detail.sweep.id).then(
      ({ events }) => this.update({ events: mergeEvents(this.state.events, events) }),
      () => undefined,
    );
  }

  private onTrial(trial: TrialSummary): void {
    if (this.watched.has(trial.id)) this.watched.set(trial.id, trial);
    if (this.cache.applyTrial(trial, this.range.start, this.range.end)) this.scheduleRefetch();
    this.changed();
  }

  private onSweep(summary: SweepSummary): void {
    // New trials (random and TPE propose as they go) change the total: re-read the rows in view.
    if (summary.total !== this.state.sweep.total) this.scheduleRefetch();
    this.update({ sweep: { ...this.state.sweep, ...summary } });
  }

  private scheduleRefetch(): void {
    this.refetchTimer ??= setTimeout(() => {
      this.refetchTimer = null;
      this.cache.invalidate();
      this.fetchVisible();
    }, REFETCH_DELAY_MS);
  }

  private fetchVisible(): void {
    const cache = this.cache;
    for (const page of cache.pagesToFetch(this.range.start, this.range.end)) {
      const ticket = cache.beginFetch(page);
      void this.client.getLeaderboard(this.state.sweep.id, viewQuery(cache.view, page * PAGE_SIZE, PAGE_SIZE)).then(
        (answer) => {
          if (cache !== this.cache) return;
          if (cache.completeFetch(ticket, answer)) this.scheduleRefetch();
          this.update({ pageError: null, total: cache.total ?? this.state.total });
        },
        (err: unknown) => {
          cache.failFetch(ticket);
          if (cache === this.cache) this.update({ pageError: err instanceof Error ? err.message : String(err) });
        },
      );
    }
  }

  private update(patch: Partial<FeedState>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  /** Tells React next frame; rows changed in place, so the state object is new whatever changed. */
  private changed(): void {
    this.notifier.soon(() => (this.state = { ...this.state }));
  }
}
