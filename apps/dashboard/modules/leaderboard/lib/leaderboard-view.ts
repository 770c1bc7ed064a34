import type { LeaderboardQueryInput } from '@ablate/contracts';

/** What the table shows: one row per trial or per configuration, in which order, which statuses. */
export interface LeaderboardView {
  group: 'trial' | 'config';
  /** `rank`, `index`, `status`, `updated` or `metric:<name>` (LeaderboardQuery). */
  sort: string;
  /** Comma-separated statuses, or null for all. */
  status: string | null;
}

/** Best trials first, every status: the view the subscription's snapshot fills. */
export const DEFAULT_VIEW: LeaderboardView = { group: 'trial', sort: 'rank', status: null };

/** The view a sweep opens on: its configurations when it repeats seeds, else its trials. */
export function initialView(repeats: number | undefined): LeaderboardView {
  return (repeats ?? 1) > 1 ? { ...DEFAULT_VIEW, group: 'config' } : DEFAULT_VIEW;
}

export function isDefaultView(view: LeaderboardView): boolean {
  return view.group === 'trial' && view.sort === 'rank' && view.status === null;
}

/** The leaderboard query of a page of the view. */
export function viewQuery(view: LeaderboardView, offset: number, limit: number): LeaderboardQueryInput {
  return { offset, limit, sort: view.sort, group: view.group, ...(view.status === null ? {} : { status: view.status }) };
}

/** Stable identity of a view, for effects and React keys. */
export function viewKey(view: LeaderboardView): string {
  return `${view.group}|${view.sort}|${view.status ?? ''}`;
}
