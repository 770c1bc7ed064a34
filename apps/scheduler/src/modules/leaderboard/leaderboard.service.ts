import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, SweepDetailQuery, echo, toValidationIssues, type LeaderboardPage, type SweepDetail } from '@ablate/contracts';
import { isUuid } from '../../common/zod-body.pipe.js';
import { toSweepSummary } from '../sweeps/sweep.mapper.js';
import { toTrialSummary } from '../trials/trial.mapper.js';
import { parseLeaderboardQuery } from './leaderboard-query.js';
import { LeaderboardRepository, type RankedRow } from './leaderboard.repository.js';

/** The leaderboard read path: pages ranked by the database, and the top of a sweep for live subscribers. */
@Injectable()
export class LeaderboardService {
  constructor(private readonly leaderboard: LeaderboardRepository) {}

  /** One page of `GET /api/sweeps/:id/leaderboard`; 404 for an unknown sweep, 400 naming each bad parameter. */
  async page(sweepId: string, rawQuery: unknown): Promise<LeaderboardPage> {
    const found = isUuid(sweepId) ? await this.leaderboard.findPage(sweepId, (head) => parseLeaderboardQuery(rawQuery, head.template)) : null;
    if (!found) throw notFound(sweepId);
    const { request, page } = found;
    return { total: page.total, offset: request.offset, trials: page.trials.map(toRanked), configurations: page.configurations };
  }

  /** The sweep with its spec and its `top` best trials: the `sweep:subscribe` ack and `GET /api/sweeps/:id?top=`. */
  async snapshot(sweepId: string, top: number): Promise<SweepDetail> {
    const found = isUuid(sweepId) ? await this.leaderboard.findSnapshot(sweepId, top) : null;
    if (!found) throw notFound(sweepId);
    return { sweep: { ...toSweepSummary(found.head), spec: found.spec }, trials: found.trials.map(toRanked) };
  }

  /** `GET /api/sweeps/:id?top=N`: validates the query's `top`, then as `snapshot`. */
  snapshotFromQuery(sweepId: string, rawTop: unknown): Promise<SweepDetail> {
    const parsed = SweepDetailQuery.safeParse({ top: rawTop });
    if (!parsed.success || parsed.data.top === undefined) {
      const issues = parsed.success ? [{ path: 'top', message: 'give a whole number from 1 to 1000' }] : toValidationIssues(parsed.error);
      throw new ApiError(ErrorCode.ValidationFailed, `The query is invalid. top: ${issues[0]?.message ?? 'invalid'}`, issues);
    }
    return this.snapshot(sweepId, parsed.data.top);
  }
}

function toRanked({ trial, rank }: RankedRow) {
  return { ...toTrialSummary(trial), rank };
}

function notFound(id: string): ApiError {
  return new ApiError(ErrorCode.SweepNotFound, `No sweep with id "${echo(id)}". List sweeps with GET /api/sweeps.`);
}
