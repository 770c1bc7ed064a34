import { isBetter, type ConfigurationRow, type Goal, type LeaderboardPage, type RankedTrial, type TrialSummary } from '@ablate/contracts';
import { isDefaultView, type LeaderboardView } from './leaderboard-view';

/** Rows per request: a screenful is ~25 rows, so one or two pages cover what is in view. */
export const PAGE_SIZE = 100;

interface Page {
  trials: RankedTrial[];
  configurations: ConfigurationRow[];
  /** An event may have moved rows in or out: shown until refetched. */
  stale: boolean;
}

/** The in-flight key of a subscription's snapshot (pages are 0, 1, ...). */
const SNAPSHOT = -1;

/** A page request in flight; `seq` is the last event applied when it was sent. */
export interface FetchTicket {
  page: number;
  seq: number;
}

/**
 * The server leaderboard, page by page, as the table shows it. Pages are fetched for the rows in
 * view; a pushed trial event patches its row in place (O(1) by id) and says whether the order may
 * have changed, in which case the caller re-fetches the visible pages (debounced). Events that
 * arrive while a page is in flight are laid over its answer, so an older read never hides them.
 */
export class PageCache {
  private pages = new Map<number, Page>();
  private inFlight = new Map<number, FetchTicket>();
  private where = new Map<string, { page: number; row: number }>();
  private recent = new Map<string, { trial: TrialSummary; seq: number }>();
  private seq = 0;
  /** Rows matching the view (trials or configurations); null until the first page. */
  total: number | null;

  constructor(
    readonly view: LeaderboardView,
    private readonly goal: Goal,
    total: number | null = null,
  ) {
    this.total = total;
  }

  /**
   * A snapshot of the sweep's top trials (SSR or the subscription ack): the first pages of the
   * default view, fresh; every other page (and every page of another view) is re-fetched. With the
   * ticket of `beginSnapshot`, events that arrived after the snapshot was asked for are laid over
   * it (true when there were: their order may be stale).
   */
  seed(trials: readonly RankedTrial[], total: number, ticket?: FetchTicket): boolean {
    if (ticket && this.inFlight.get(SNAPSHOT) === ticket) this.inFlight.delete(SNAPSHOT);
    this.invalidate();
    let newer = false;
    if (isDefaultView(this.view)) {
      this.total = total;
      const count = Math.min(trials.length, total);
      for (let page = 0; page * PAGE_SIZE < count; page++) {
        const rows = this.overlay(trials.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), ticket);
        newer ||= rows.newer;
        // A short last page is whole only when it reaches the end of the sweep.
        if (rows.trials.length === PAGE_SIZE || page * PAGE_SIZE + rows.trials.length >= total) this.store(page, { trials: rows.trials, configurations: [] });
      }
    }
    this.forgetOldEvents();
    return newer;
  }

  /** A (re)subscription went out: keep the events that arrive until its snapshot does. */
  beginSnapshot(): FetchTicket {
    return this.beginFetch(SNAPSHOT);
  }

  rowAt(index: number): RankedTrial | ConfigurationRow | undefined {
    const page = this.pages.get(Math.floor(index / PAGE_SIZE));
    const at = index % PAGE_SIZE;
    return this.view.group === 'config' ? page?.configurations[at] : page?.trials[at];
  }

  /** Loaded trial by id (the table's trials only). */
  trial(id: string): RankedTrial | undefined {
    const at = this.where.get(id);
    return at ? this.pages.get(at.page)?.trials[at.row] : undefined;
  }

  /** Loaded configuration by key (the grouped table's rows only). */
  configuration(key: string): ConfigurationRow | undefined {
    for (const page of this.pages.values()) {
      const row = page.configurations.find((c) => c.key === key);
      if (row) return row;
    }
    return undefined;
  }

  /** Pages covering rows [start, end) that are missing or stale and not already requested. */
  pagesToFetch(start: number, end: number): number[] {
    const last = Math.max(start, Math.min(end, this.total ?? end) - 1);
    const wanted: number[] = [];
    for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      const have = this.pages.get(page);
      if ((!have || have.stale) && !this.inFlight.has(page)) wanted.push(page);
    }
    return wanted;
  }

  beginFetch(page: number): FetchTicket {
    const ticket = { page, seq: this.seq };
    this.inFlight.set(page, ticket);
    return ticket;
  }

  /** Stores an answer; true when events newer than the request touched its rows (their order may be stale). */
  completeFetch(ticket: FetchTicket, answer: LeaderboardPage): boolean {
    if (this.inFlight.get(ticket.page) !== ticket) return false;
    this.inFlight.delete(ticket.page);
    this.total = answer.total;
    const { trials, newer } = this.overlay(answer.trials, ticket);
    this.store(ticket.page, { trials, configurations: answer.configurations });
    this.forgetOldEvents();
    return newer;
  }

  /** Rows of an answer with the events that arrived after its request laid over them. */
  private overlay(rows: readonly RankedTrial[], ticket: FetchTicket | undefined): { trials: RankedTrial[]; newer: boolean } {
    let newer = false;
    const trials = rows.map((row) => {
      const event = ticket && this.recent.get(row.id);
      if (!event || event.seq <= ticket.seq) return row;
      newer = true;
      return { ...event.trial, rank: row.rank };
    });
    return { trials, newer };
  }

  failFetch(ticket: FetchTicket): void {
    if (this.inFlight.get(ticket.page) === ticket) this.inFlight.delete(ticket.page);
    this.forgetOldEvents();
  }

  /** Every page may be out of order now; keep showing them until they are fetched again. */
  invalidate(): void {
    for (const page of this.pages.values()) page.stale = true;
  }

  /**
   * Applies a `trial:updated`; true when the rows in [start, end) may have changed order or
   * membership (the caller re-fetches them), false when patching the row in place was enough.
   */
  applyTrial(trial: TrialSummary, start: number, end: number): boolean {
    this.seq += 1;
    if (this.inFlight.size > 0) this.recent.set(trial.id, { trial, seq: this.seq });
    if (this.view.group === 'config') return true;
    const at = this.where.get(trial.id);
    const rows = at ? this.pages.get(at.page)?.trials : undefined;
    const old = at && rows ? rows[at.row] : undefined;
    if (at && rows && old) rows[at.row] = { ...trial, rank: old.rank };
    if (!isDefaultView(this.view)) return true;
    if (old) return old.score !== trial.score;
    // Not loaded: it matters only if its new score may rank it among the rows in view.
    return trial.score !== null && this.mayEnter(trial.score, start, end);
  }

  private mayEnter(score: number, start: number, end: number): boolean {
    let worst: number | null = null;
    for (let i = start; i < Math.min(end, this.total ?? end); i++) {
      const row = this.rowAt(i) as RankedTrial | undefined;
      if (!row || row.score === null) return true;
      worst = row.score;
    }
    return worst === null || score === worst || isBetter(score, worst, this.goal);
  }

  private store(page: number, rows: Omit<Page, 'stale'>): void {
    const previous = this.pages.get(page);
    for (const t of previous?.trials ?? []) if (this.where.get(t.id)?.page === page) this.where.delete(t.id);
    this.pages.set(page, { ...rows, stale: false });
    rows.trials.forEach((t, row) => this.where.set(t.id, { page, row }));
  }

  /** Events only matter to answers still in flight. */
  private forgetOldEvents(): void {
    if (this.inFlight.size === 0) this.recent.clear();
  }
}
