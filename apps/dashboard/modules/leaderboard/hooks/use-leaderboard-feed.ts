'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { createBrowserClient } from '@/modules/scheduler/browser-client';
import { LeaderboardFeed, type FeedInit, type FeedState } from '../lib/leaderboard-feed';

/**
 * Follows one sweep live (`LeaderboardFeed`): subscribes in an effect and cleans up on unmount.
 * Rows are read from the feed (`feed.rowAt`); `state` changes at most once per frame.
 */
export function useLeaderboardFeed(apiUrl: string, init: FeedInit): { feed: LeaderboardFeed; state: FeedState } {
  const [feed] = useState(() => new LeaderboardFeed(apiUrl, createBrowserClient(apiUrl), init));
  useEffect(() => feed.start(), [feed]);
  const state = useSyncExternalStore(feed.subscribe, feed.getState, feed.getState);
  return { feed, state };
}
