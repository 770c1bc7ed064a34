import { Inject, Injectable } from '@nestjs/common';
import {
  ApiError,
  ErrorCode,
  type LeaseResponse,
  type RegisterWorkerRequest,
  type RegisterWorkerResponse,
} from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { LivePublisher } from '../live/live.publisher.js';
import { toSweepSummary } from '../sweeps/sweep.mapper.js';
import { toLeasedTrial, toTrialSummary } from '../trials/trial.mapper.js';
import { TrialsRepository } from '../trials/trials.repository.js';
import { WorkersRepository } from './workers.repository.js';

@Injectable()
export class WorkersService {
  constructor(
    private readonly workers: WorkersRepository,
    private readonly trials: TrialsRepository,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async register(body: RegisterWorkerRequest): Promise<RegisterWorkerResponse> {
    const worker = await this.workers.registerWorker(body, this.clock.now());
    const ttl = this.config.leaseTtlMs;
    return { workerId: worker.id, leaseTtlMs: ttl, heartbeatIntervalMs: Math.max(500, Math.floor(ttl / 4)) };
  }

  /** Records liveness and extends every lease the worker holds. */
  async heartbeat(workerId: string): Promise<void> {
    const now = this.clock.now();
    if (!isUuid(workerId) || !(await this.workers.touchWorker(workerId, now))) throw this.unknown(workerId);
    await this.trials.renewLeases(workerId, new Date(now.getTime() + this.config.leaseTtlMs));
  }

  /** Hands the worker the next queued trial, or null when there is none. */
  async lease(workerId: string): Promise<LeaseResponse> {
    if (!isUuid(workerId) || !(await this.workers.exists(workerId))) throw this.unknown(workerId);
    const now = this.clock.now();
    const leased = await this.trials.leaseNextTrial(workerId, now, new Date(now.getTime() + this.config.leaseTtlMs));
    if (!leased) return { trial: null };
    this.live.trialUpdated(toTrialSummary(leased.trial));
    const counts = await this.trials.countByStatus([leased.sweep.id]);
    this.live.sweepUpdated(toSweepSummary(leased.sweep, counts.get(leased.sweep.id) ?? {}));
    return { trial: toLeasedTrial(leased.trial, leased.sweep.template) };
  }

  private unknown(workerId: string): ApiError {
    return new ApiError(ErrorCode.WorkerNotFound, `No worker with id "${workerId}"; register again with POST /api/workers.`);
  }
}
