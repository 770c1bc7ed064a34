import type { LeaderboardPage, LeaderboardQueryInput, RankedTrial, SweepDetail, SweepEvent, SweepEventList } from '@ablate/contracts';
import type { ConnectionState } from '@/modules/scheduler/live-socket';
import type { LeaderboardView } from './leaderboard-view';

/** The REST calls the feed makes from the browser. */
export interface FeedClient {
  getLeaderboard(sweepId: string, query: LeaderboardQueryInput): Promise<LeaderboardPage>;
  listSweepEvents(sweepId: string): Promise<SweepEventList>;
}

/** What the sweep page renders; a new object whenever something in it changed. */
export interface FeedState {
  sweep: SweepDetail['sweep'];
  events: SweepEvent[];
  connection: ConnectionState;
  /** Why the live subscription failed, if it did. */
  error: string | null;
  /** Why the last page could not be loaded, if it could not. */
  pageError: string | null;
  view: LeaderboardView;
  /** Rows of the view (trials, or configurations). */
  total: number;
}

export interface FeedInit {
  sweep: SweepDetail['sweep'];
  /** The top trials (SSR). */
  trials: RankedTrial[];
  events: SweepEvent[];
  view: LeaderboardView;
  /** The first page of `view` when it is not the default one (SSR). */
  page?: LeaderboardPage;
}
