import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ApiError,
  ErrorCode,
  echo,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type LeaseRequest,
  type LeaseResponse,
  type LeasedTrial,
  type RegisterWorkerRequest,
  type RegisterWorkerResponse,
  type WorkerList,
} from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { LivePublisher } from '../live/live.publisher.js';
import { ChangePublisher } from '../sweeps/change.publisher.js';
import { Changes } from '../sweeps/sweep-changes.js';
import { LeasesRepository } from '../trials/leases.repository.js';
import { ReportsRepository } from '../trials/reports.repository.js';
import { toLeasedTrial } from '../trials/trial.mapper.js';
import { SweepPlacement } from './sweep-placement.repository.js';
import { WorkerCredentials } from './worker-credentials.service.js';
import { WorkersRepository } from './workers.repository.js';

/** A worker silent this long (and holding no lease) is removed; it registers again if it comes back. */
export function silentWorkerCutoffMs(leaseTtlMs: number): number {
  return Math.max(10 * leaseTtlMs, 10 * 60_000);
}

@Injectable()
export class WorkersService {
  private readonly logger = new Logger(WorkersService.name);
  /** Where the previous liveness pass drew the line between live and lost (workers crossing it since are pushed as lost). */
  private lostBefore: Date | null = null;
  /** Whether each worker runs command trials: fixed at registration (a new registration is a new id), so kept once read. */
  private readonly runsCommands = new Map<string, boolean>();

  constructor(
    private readonly workers: WorkersRepository,
    private readonly leases: LeasesRepository,
    private readonly reports: ReportsRepository,
    private readonly credentials: WorkerCredentials,
    private readonly placement: SweepPlacement,
    private readonly clock: Clock,
    private readonly publisher: ChangePublisher,
    private readonly live: LivePublisher,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /** Registers a worker and hands it the secret that proves its identity from now on (only its hash is kept). */
  async register(body: RegisterWorkerRequest): Promise<RegisterWorkerResponse> {
    const { secret, hash } = this.credentials.issue();
    const now = this.clock.now();
    const workerId = await this.workers.registerWorker(body, hash, now);
    await this.pushWorkers([workerId], now);
    // A bigger node may be what a waiting GPU sweep needed.
    this.publisher.publish(await this.placement.explain(now));
    const ttl = this.config.leaseTtlMs;
    return {
      workerId,
      workerSecret: secret,
      leaseTtlMs: ttl,
      heartbeatIntervalMs: Math.max(500, Math.floor(ttl / 4)),
      completionExtras: ['nextLease', 'lastEpoch', 'logs'],
    };
  }

  /** The 500 most recently seen workers (for the dashboard), each `live` or `lost`; no secrets. */
  async list(): Promise<WorkerList> {
    return { workers: await this.workers.listWorkers(500, this.liveSince(this.clock.now())) };
  }

  /**
   * Records liveness and telemetry and renews the leases of the trials the agent says it still
   * runs. A lease it holds but did not list is left to expire; listed trials it no longer holds (or
   * that were cancelled or finished) come back in `stop`, so the agent can end them.
   */
  async heartbeat(callerId: string, workerId: string, body: HeartbeatRequest): Promise<HeartbeatResponse> {
    this.assertSelf(callerId, workerId);
    const now = this.clock.now();
    const worker = await this.workers.heartbeatWorker(workerId, now, body.telemetry, this.liveSince(now));
    if (!worker) throw this.unknown(workerId);
    const leaseExpiresAt = new Date(now.getTime() + this.config.leaseTtlMs);
    const asked = [...new Set(body.trialIds)];
    const renewed = await this.leases.renewLeases(workerId, asked, leaseExpiresAt);
    const kept = new Set(renewed);
    // Its live leases as the heartbeat's statement counted them: renewing moves no trial's status.
    this.live.workerUpdated(worker);
    return {
      renewed,
      stop: asked.filter((id) => !kept.has(id)),
      leaseExpiresAt: leaseExpiresAt.toISOString(),
    };
  }

  /** Hands the worker the next queued trial that fits what it can hold now (`body`), or null when there is none. */
  async lease(callerId: string, workerId: string, body: LeaseRequest): Promise<LeaseResponse> {
    this.assertSelf(callerId, workerId);
    const now = this.clock.now();
    const worker = await this.workers.touchWorker(workerId, now);
    if (!worker) throw this.unknown(workerId);
    this.runsCommands.set(workerId, worker.commands);
    return { trial: await this.handOut(workerId, body, worker.commands, now) };
  }

  /**
   * The lease a completion's answer carries (`nextLease`), for the worker whose report was just
   * accepted: as `lease`, without writing the worker row each time (the report proved the worker,
   * its heartbeats keep it live), so a chained trial costs no statement beyond the lease itself.
   */
  async leaseNext(workerId: string, body: LeaseRequest): Promise<LeasedTrial | null> {
    const now = this.clock.now();
    let commands = this.runsCommands.get(workerId);
    if (commands === undefined) {
      const worker = await this.workers.touchWorker(workerId, now);
      if (!worker) throw this.unknown(workerId);
      commands = worker.commands;
      this.runsCommands.set(workerId, commands);
    }
    return this.handOut(workerId, body, commands, now);
  }

  /**
   * Leases the next trial that fits `body`, publishes it, and hands its row to the report path, so
   * the trial's first report skips reading it (one statement fewer per trial).
   */
  private async handOut(workerId: string, body: LeaseRequest, commands: boolean, now: Date): Promise<LeasedTrial | null> {
    if (body.freeSlots < 1) return null;
    const leased = await this.leases.leaseNextTrial(workerId, now, new Date(now.getTime() + this.config.leaseTtlMs), body.freeGpus, commands);
    if (!leased) return null;
    this.reports.rememberLeased(leased.trial, leased.sweep);
    this.publisher.publish(new Changes().trial(leased.trial).sweep(leased.sweep));
    const metric = { name: leased.sweep.metricName, goal: leased.sweep.metricGoal };
    return toLeasedTrial(leased.trial, leased.sweep.template, leased.gpus, metric);
  }

  /**
   * One reaper pass's look at the workers: pushes those that turned lost since the last pass, and
   * updates why GPU sweeps wait (a lost node may have been the only one big enough).
   */
  async checkLiveness(now: Date): Promise<void> {
    const lostBefore = this.liveSince(now);
    const from = this.lostBefore ?? new Date(lostBefore.getTime() - this.config.leaseTtlMs);
    this.lostBefore = lostBefore;
    const lost = await this.workers.findWorkersSilentSince(from, lostBefore);
    await this.pushWorkers(lost, now);
    this.publisher.publish(await this.placement.explain(now));
  }

  /** Removes workers that have been silent for max(10 × TTL, 10 min) and hold no lease; returns how many. */
  async removeSilentWorkers(now: Date): Promise<number> {
    const removed = await this.workers.removeSilentWorkers(
      new Date(now.getTime() - silentWorkerCutoffMs(this.config.leaseTtlMs)),
    );
    this.credentials.forget(removed);
    for (const id of removed) this.runsCommands.delete(id);
    if (removed.length > 0)
      this.logger.log(`Removed ${removed.length} silent worker(s); they register again if they come back.`);
    return removed.length;
  }

  /** Workers heard from since this are live; older ones are lost (their leases have run out by now). */
  private liveSince(now: Date): Date {
    return new Date(now.getTime() - this.config.leaseTtlMs);
  }

  private async pushWorkers(ids: string[], now: Date): Promise<void> {
    for (const w of await this.workers.findWorkers(ids, this.liveSince(now))) this.live.workerUpdated(w);
  }

  /** Access check: a worker acts only as itself. */
  private assertSelf(callerId: string, workerId: string): void {
    if (callerId === workerId) return;
    throw new ApiError(
      ErrorCode.Forbidden,
      `This registration is worker ${callerId}; it cannot act as worker "${echo(workerId)}". Use your own workerId.`,
    );
  }

  private unknown(workerId: string): ApiError {
    return new ApiError(
      ErrorCode.WorkerNotFound,
      `No worker with id ${workerId}; register again with POST /api/workers.`,
    );
  }
}
