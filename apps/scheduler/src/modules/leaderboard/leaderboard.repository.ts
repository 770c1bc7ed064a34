import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TrialStatus, type ConfigurationRow, type SweepSpec } from '@ablate/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { sql } from '../../database/transaction.js';
import { SWEEP_HEAD_COLUMNS, toSweepHead, type SweepHead } from '../sweeps/sweep-rows.js';
import { toTrialRow, type TrialRow } from '../trials/trial-rows.js';
import type { LeaderboardRequest } from './leaderboard-query.js';
import { configurationPage, scoredCount, scoredPage, sortedPage, trialCount, unscoredPage, type Statement } from './leaderboard-sql.js';

/** A trial row with its place on the leaderboard. */
export type RankedRow = { trial: TrialRow; rank: number | null };

/** One page as the database answers it. */
export interface PageRows {
  total: number;
  trials: RankedRow[];
  configurations: ConfigurationRow[];
}

/** Reads leaderboard pages (never writes): the sweep row for counts and goal, trials by the leaderboard indexes. */
@Injectable()
export class LeaderboardRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The sweep's head and one page, from one snapshot (so the total agrees with the rows). `plan`
   * turns the head into the request (validation needs the template); null when no sweep has the id.
   */
  findPage(sweepId: string, plan: (head: SweepHead) => LeaderboardRequest): Promise<{ request: LeaderboardRequest; page: PageRows } | null> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const rows = await sql(tx, `SELECT ${SWEEP_HEAD_COLUMNS} FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE s.id = $1`, [sweepId]);
      if (!rows[0]) return null;
      const head = toSweepHead(rows[0]);
      const request = plan(head);
      const page = request.group === 'config' ? await this.configurations(tx, head, request) : await this.trials(tx, head, request);
      return { request, page };
    });
  }

  /** The sweep's head, spec and top `top` trials by rank, from one snapshot: the live subscription's ack. */
  findSnapshot(sweepId: string, top: number): Promise<{ head: SweepHead; spec: SweepSpec; trials: RankedRow[] } | null> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const rows = await sql(tx, `SELECT ${SWEEP_HEAD_COLUMNS}, s.spec FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE s.id = $1`, [sweepId]);
      if (!rows[0]) return null;
      const head = toSweepHead(rows[0]);
      const request: LeaderboardRequest = { offset: 0, limit: top, sort: { kind: 'rank' }, statuses: null, group: 'trial', config: null };
      const page = await this.trials(tx, head, request);
      return { head, spec: rows[0].spec as SweepSpec, trials: page.trials };
    });
  }

  private async trials(tx: EntityManager, head: SweepHead, r: LeaderboardRequest): Promise<PageRows> {
    const total = await this.total(tx, head, r);
    if (r.sort.kind !== 'rank') return { total, trials: await ranked(tx, sortedPage(head.id, head.metricGoal, r)), configurations: [] };
    const scored = await ranked(tx, scoredPage(head.id, head.metricGoal, r));
    if (scored.length === r.limit) return { total, trials: scored, configurations: [] };
    // The page runs past the scored trials into the unscored tail.
    const count = scoredCount(head.id, r);
    const n = (await sql<{ n: number }>(tx, count.text, count.values))[0]?.n ?? 0;
    const tail = await ranked(tx, unscoredPage(head.id, r, Math.max(0, r.offset - n), r.limit - scored.length));
    return { total, trials: [...scored, ...tail], configurations: [] };
  }

  /** From the sweep row's counts, except for one configuration's runs (counted; a configuration has few). */
  private async total(tx: EntityManager, head: SweepHead, r: LeaderboardRequest): Promise<number> {
    if (r.config) {
      const { text, values } = trialCount(head.id, r);
      return (await sql<{ n: number }>(tx, text, values))[0]?.n ?? 0;
    }
    if (!r.statuses) return head.trialCount;
    return r.statuses.reduce((n, st) => n + head.counts[st], 0);
  }

  private async configurations(tx: EntityManager, head: SweepHead, r: LeaderboardRequest): Promise<PageRows> {
    const { text, values } = configurationPage(head.id, head.metricGoal, r);
    const rows = await sql(tx, text, values);
    const total = (rows[0]?.total as number | undefined) ?? 0;
    const configurations = rows.filter((row) => row.config !== null).map(toConfigurationRow);
    return { total, trials: [], configurations };
  }
}

async function ranked(tx: EntityManager, { text, values }: Statement): Promise<RankedRow[]> {
  return (await sql(tx, text, values)).map((row) => ({ trial: toTrialRow(row), rank: (row.rank as number | null) ?? null }));
}

function toConfigurationRow(row: Record<string, unknown>): ConfigurationRow {
  const key = row.config as string;
  return {
    key,
    // The key is `configurationKey(params)`: the params without `seed` as sorted [name, value] pairs.
    params: Object.fromEntries(JSON.parse(key) as [string, unknown][]),
    rank: (row.rank as number | null) ?? null,
    mean: (row.mean as number | null) ?? null,
    std: (row.std as number | null) ?? null,
    n: row.n as number,
    trialIds: row.trial_ids as string[],
    counts: Object.fromEntries(TrialStatus.options.map((st) => [st, row[`${st}_count`] as number])) as Record<TrialStatus, number>,
  };
}
