import { TrialStatus, type Goal } from '@ablate/contracts';
import { SqlParams } from '../../database/transaction.js';
import { trialColumns } from '../trials/trial-rows.js';
import type { LeaderboardRequest, LeaderboardSort } from './leaderboard-query.js';

/*
 * The leaderboard's statements. Ranks follow `rankTrials` in the contracts: scored trials best
 * first (ties share a rank, broken by index), unscored ones last by index. Ranked by score, a page
 * is a walk along the index (sweep_id, score) from the best end that stops after offset + limit
 * rows; window functions stream over it, so no statement reads the whole sweep. Other orders need
 * every matching trial's rank and read the sweep's trials once.
 */

export type Statement = { text: string; values: unknown[] };

const dir = (goal: Goal) => (goal === 'maximize' ? 'DESC' : 'ASC');

/** `t.sweep_id = ... AND <status filter> AND <configuration filter>`. */
function where(p: SqlParams, sweepId: string, r: LeaderboardRequest): string {
  const parts = [`t.sweep_id = ${p.add(sweepId, 'uuid')}`];
  if (r.statuses) parts.push(`t.status = ANY(${p.add(r.statuses, 'text[]')})`);
  if (r.config !== null) parts.push(`t.configuration_key = ${p.add(r.config)}`);
  return parts.join(' AND ');
}

/**
 * Scored trials ranked by score, one page of them. ORDER BY and the window share `score <dir>`, so
 * PostgreSQL reads the score index in that direction (backwards for maximize) and sorts only ties
 * by index (an incremental sort), stopping at offset + limit.
 */
export function scoredPage(sweepId: string, goal: Goal, r: LeaderboardRequest): Statement {
  const p = new SqlParams();
  const text = `SELECT ${trialColumns('t')}, (rank() OVER (ORDER BY t.score ${dir(goal)}))::int AS rank
    FROM trials t WHERE ${where(p, sweepId, r)} AND t.score IS NOT NULL
    ORDER BY t.score ${dir(goal)}, t.index OFFSET ${p.add(r.offset, 'int')} LIMIT ${p.add(r.limit, 'int')}`;
  return { text, values: p.values };
}

/** How many matching trials have a score (asked only when a page reaches past them: at most offset + limit rows). */
export function scoredCount(sweepId: string, r: LeaderboardRequest): Statement {
  const p = new SqlParams();
  return { text: `SELECT count(*)::int AS n FROM trials t WHERE ${where(p, sweepId, r)} AND t.score IS NOT NULL`, values: p.values };
}

/** Unscored trials by index, from `offset` among them (the partial index on unscored trials). */
export function unscoredPage(sweepId: string, r: LeaderboardRequest, offset: number, limit: number): Statement {
  const p = new SqlParams();
  const text = `SELECT ${trialColumns('t')}, NULL::int AS rank FROM trials t WHERE ${where(p, sweepId, r)} AND t.score IS NULL
    ORDER BY t.index OFFSET ${p.add(offset, 'int')} LIMIT ${p.add(limit, 'int')}`;
  return { text, values: p.values };
}

/** Matching trials (only needed with a configuration filter: the sweep row counts the rest). */
export function trialCount(sweepId: string, r: LeaderboardRequest): Statement {
  const p = new SqlParams();
  return { text: `SELECT count(*)::int AS n FROM trials t WHERE ${where(p, sweepId, r)}`, values: p.values };
}

/** A page in another order than rank: every matching trial is ranked first, then the page is cut. */
export function sortedPage(sweepId: string, goal: Goal, r: LeaderboardRequest): Statement {
  const p = new SqlParams();
  const filter = where(p, sweepId, r);
  const byScore = `t.score ${dir(goal)} NULLS LAST`;
  const text = `WITH ranked AS (
      SELECT t.id, (rank() OVER (ORDER BY t.score ${dir(goal)}))::int AS rank FROM trials t WHERE ${filter} AND t.score IS NOT NULL
    )
    SELECT ${trialColumns('t')}, r.rank FROM trials t LEFT JOIN ranked r ON r.id = t.id
    WHERE ${filter}
    ORDER BY ${orderKey(p, r.sort, byScore)}, t.index OFFSET ${p.add(r.offset, 'int')} LIMIT ${p.add(r.limit, 'int')}`;
  return { text, values: p.values };
}

function orderKey(p: SqlParams, sort: LeaderboardSort, byScore: string): string {
  switch (sort.kind) {
    case 'rank':
      return byScore;
    case 'index':
      return 't.index';
    case 'status':
      return `array_position(${p.add(TrialStatus.options, 'text[]')}, t.status), ${byScore}`;
    case 'updated':
      return 't.updated_at DESC';
    case 'metric':
      return `(t.metrics ->> ${p.add(sort.name)})::float8 ${dir(sort.goal)} NULLS LAST`;
  }
}

/** Runs of one configuration kept in a row; the rest are reached with `?config=<key>`. */
export const MAX_CONFIG_TRIAL_IDS = 100;

/**
 * One page of configurations (`configuration_key`: params without `seed`), each with the mean,
 * sample standard deviation and number of its scores, its first runs' ids and its status counts;
 * ranked by mean. Groups every matching trial of the sweep (a mean has no index to walk); the
 * total comes in every row, and in a row of nulls when the page is past the end.
 */
export function configurationPage(sweepId: string, goal: Goal, r: LeaderboardRequest): Statement {
  const p = new SqlParams();
  const counts = TrialStatus.options.map((st) => `count(*) FILTER (WHERE t.status = '${st}')::int AS ${st}_count`).join(', ');
  const order = r.sort.kind === 'index' ? 'g.first_index' : `g.mean ${dir(goal)} NULLS LAST, g.first_index`;
  const text = `WITH g AS (
      SELECT t.configuration_key AS config, avg(t.score) AS mean, stddev_samp(t.score) AS std, count(t.score)::int AS n,
        min(t.index) AS first_index, (array_agg(t.id::text ORDER BY t.index))[1:${MAX_CONFIG_TRIAL_IDS}] AS trial_ids, ${counts}
      FROM trials t WHERE ${where(p, sweepId, r)} GROUP BY t.configuration_key
    )
    SELECT total.n AS total, page.* FROM (SELECT count(*)::int AS n FROM g) total
    LEFT JOIN LATERAL (
      SELECT g.*, CASE WHEN g.mean IS NULL THEN NULL ELSE (rank() OVER (ORDER BY g.mean ${dir(goal)} NULLS LAST))::int END AS rank
      FROM g ORDER BY ${order} OFFSET ${p.add(r.offset, 'int')} LIMIT ${p.add(r.limit, 'int')}
    ) page ON true`;
  return { text, values: p.values };
}
