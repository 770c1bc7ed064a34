import { Injectable } from '@nestjs/common';
import {
  ApiError,
  ErrorCode,
  FINISHED_TRIAL_STATUSES,
  echo,
  type TrialLogBatch,
  type TrialLogBatchResponse,
  type TrialLogTail,
} from '@ablate/contracts';
import { isUuid } from '../../common/zod-body.pipe.js';
import { trialNotFound } from '../trials/trial-not-found.js';
import { TrialLogPublisher } from './trial-log.publisher.js';
import { TrialLogsRepository } from './trial-logs.repository.js';

/** Stores the log lines workers send, serves the tail and pushes new lines to subscribers. */
@Injectable()
export class TrialLogsService {
  constructor(
    private readonly logs: TrialLogsRepository,
    private readonly publisher: TrialLogPublisher,
  ) {}

  /**
   * Lines from the authenticated worker `callerId` about a trial it holds in the batch's attempt.
   * Like reports, lines for a trial it no longer holds are refused (409) and nothing is stored
   * (the check and the insert are one statement).
   */
  async append(callerId: string, trialId: string, batch: TrialLogBatch): Promise<TrialLogBatchResponse> {
    if (batch.workerId !== callerId) {
      throw new ApiError(ErrorCode.Forbidden, `This registration is worker ${callerId}; it cannot send logs as worker "${echo(batch.workerId)}". Send your own workerId.`);
    }
    const result = isUuid(trialId) ? await this.logs.appendIfHeld(trialId, callerId, batch.attempt, batch.lines) : null;
    if (!result) throw trialNotFound(trialId);
    const { owner, stored } = result;
    if (FINISHED_TRIAL_STATUSES.includes(owner.status)) {
      throw new ApiError(ErrorCode.TrialFinished, `Trial ${trialId} has already finished (${owner.status}); send its last lines before its last report.`);
    }
    if (owner.leaseOwner !== callerId || owner.attempt !== batch.attempt) {
      throw new ApiError(
        ErrorCode.LeaseNotHeld,
        `Worker ${callerId} does not hold attempt ${batch.attempt} of trial ${trialId} (it is at attempt ${owner.attempt}, ${owner.status}); the lines were not stored.`,
      );
    }
    if (stored.length > 0) this.publisher.lines(trialId, stored);
    return { stored: stored.length };
  }

  /**
   * A completion's log tail (`logs` of a `completed` report), stored as `append` stores a batch,
   * before the completion is applied. A trial the worker no longer holds (finished: a replayed
   * completion) stores nothing and throws nothing here: the completion's own answer says why.
   */
  async storeBeforeReport(callerId: string, trialId: string, logs: Pick<TrialLogBatch, 'attempt' | 'lines'>): Promise<void> {
    // The completion's own commit, right after, flushes these lines (appendIfHeld's `awaitFlush`).
    const result = await this.logs.appendIfHeld(trialId, callerId, logs.attempt, logs.lines, { awaitFlush: false });
    if (result && result.stored.length > 0) this.publisher.lines(trialId, result.stored);
  }

  /** The stored tail (`GET /api/trials/:id/logs`, and the `trial:subscribe` ack). */
  async tail(trialId: string): Promise<TrialLogTail> {
    const owner = isUuid(trialId) ? await this.logs.findOwner(trialId) : null;
    if (!owner) throw trialNotFound(trialId);
    return { trialId, lines: await this.logs.tail(trialId) };
  }
}
