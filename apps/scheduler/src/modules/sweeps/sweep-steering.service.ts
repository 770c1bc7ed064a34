import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, echo, type SweepSummary, type TrialSummary, type UpdateSweepRequest } from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { toTrialSummary } from '../trials/trial.mapper.js';
import { ChangePublisher } from './change.publisher.js';
import { SweepSteeringRepository, type SteerOutcome } from './sweep-steering.repository.js';
import { toSweepSummary } from './sweep.mapper.js';
import { sweepNotFound } from './sweeps.service.js';

/**
 * Pause, resume, stop, cancel, a larger budget, and cancelling one trial; each recorded with who
 * did it. A stop or cancel reaches the workers that hold the sweep's trials through the publisher
 * (pushed on `/workers`), not at their next report.
 */
@Injectable()
export class SweepSteeringService {
  constructor(
    private readonly steering: SweepSteeringRepository,
    private readonly clock: Clock,
    private readonly publisher: ChangePublisher,
  ) {}

  pause(id: string, actor: string): Promise<SweepSummary> {
    return this.sweep(id, () => this.steering.pause(id, actor, this.clock.now()));
  }

  resume(id: string, actor: string): Promise<SweepSummary> {
    return this.sweep(id, () => this.steering.resume(id, actor, this.clock.now()));
  }

  stop(id: string, actor: string): Promise<SweepSummary> {
    return this.sweep(id, () => this.steering.stop(id, actor, this.clock.now()));
  }

  cancel(id: string, actor: string): Promise<SweepSummary> {
    return this.sweep(id, () => this.steering.cancel(id, actor, this.clock.now()));
  }

  update(id: string, body: UpdateSweepRequest, actor: string): Promise<SweepSummary> {
    return this.sweep(id, () => this.steering.raiseMaxTrials(id, body.maxTrials, actor, this.clock.now()));
  }

  async cancelTrial(trialId: string, actor: string): Promise<TrialSummary> {
    if (!isUuid(trialId)) throw trialNotFound(trialId);
    const done = this.settle(trialId, await this.steering.cancelTrial(trialId, actor, this.clock.now()));
    if (!done.trial) throw new Error(`Cancelling trial ${trialId} returned no trial.`);
    return toTrialSummary(done.trial);
  }

  private async sweep(id: string, act: () => Promise<SteerOutcome>): Promise<SweepSummary> {
    if (!isUuid(id)) throw sweepNotFound(id);
    return toSweepSummary(this.settle(id, await act()).head);
  }

  /** Publishes what an applied action changed, or turns its refusal into the caller's error. */
  private settle(id: string, outcome: SteerOutcome): Extract<SteerOutcome, { kind: 'done' }> {
    switch (outcome.kind) {
      case 'done':
        if (outcome.changes) this.publisher.publish(outcome.changes);
        return outcome;
      case 'not_found':
        throw sweepNotFound(id);
      case 'trial_not_found':
        throw trialNotFound(id);
      case 'refused':
        throw new ApiError(ErrorCode.SweepFinished, `Sweep ${outcome.head.id} is ${outcome.head.status}: ${outcome.why}`);
      case 'invalid':
        throw new ApiError(ErrorCode.ValidationFailed, 'The change is invalid.', outcome.issues);
      case 'trial_finished':
        throw new ApiError(ErrorCode.TrialFinished, `Trial ${id} is already ${outcome.status}; only a queued, leased, running or paused trial can be cancelled.`);
    }
  }
}

function trialNotFound(id: string): ApiError {
  return new ApiError(ErrorCode.TrialNotFound, `No trial with id "${echo(id)}".`);
}
