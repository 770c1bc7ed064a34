import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { LivePublisher } from '../live/live.publisher.js';
import { toSweepSummary } from '../sweeps/sweep.mapper.js';
import { WorkersService } from '../workers/workers.service.js';
import { LeasesRepository } from './leases.repository.js';
import { toTrialSummary } from './trial.mapper.js';

/**
 * Requeues trials whose worker vanished (lease not renewed in time), so another worker resumes
 * them, and removes workers that have been silent for long.
 *
 * Lease grace: while the scheduler or PostgreSQL is down, no worker can heartbeat, so every lease
 * looks expired the moment the reaper runs again (that used a retry of every trial in flight, and
 * requeued trials whose workers were fine). At start, and on the first pass that succeeds after
 * failed ones, the reaper first moves every live lease to at least now + TTL and expires nothing;
 * a worker that really died is reaped one TTL later.
 */
@Injectable()
export class LeaseReaperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaseReaperService.name);
  private timer: NodeJS.Timeout | null = null;
  private graceDue = true;
  private failing = false;

  constructor(
    private readonly leases: LeasesRepository,
    private readonly workers: WorkersService,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reap().catch(() => undefined); // the grace pass at start; a failure is logged and retried by the timer
    const every = Math.max(250, Math.floor(this.config.leaseTtlMs / 4));
    this.timer = setInterval(() => {
      this.reap().catch(() => undefined);
    }, every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; returns how many trials it requeued or failed (0 on a grace pass). Throws when the database fails. */
  async reap(): Promise<number> {
    try {
      const changed = this.graceDue ? await this.extendAfterOutage() : await this.expire();
      await this.workers.removeSilentWorkers(this.clock.now());
      if (this.failing) this.logger.log('Lease reaper: the database answers again.');
      this.failing = false;
      return changed;
    } catch (err) {
      // One line per outage, not one stack trace per pass.
      if (!this.failing)
        this.logger.warn(
          `Lease reaper pass failed; leases get one TTL of grace once it succeeds again: ${err instanceof Error ? err.message : String(err)}`,
        );
      this.failing = true;
      this.graceDue = true;
      throw err;
    }
  }

  private async extendAfterOutage(): Promise<number> {
    const until = new Date(this.clock.now().getTime() + this.config.leaseTtlMs);
    const extended = await this.leases.extendLiveLeases(until);
    this.graceDue = false;
    if (extended > 0)
      this.logger.log(
        `Extended ${extended} live lease(s) to ${until.toISOString()}: their workers could not heartbeat while the scheduler or its database was away.`,
      );
    return 0;
  }

  private async expire(): Promise<number> {
    const { trials, sweeps } = await this.leases.expireLeases(this.clock.now());
    for (const t of trials) {
      this.logger.warn(`Trial ${t.id}: lease expired, now ${t.status} (attempt ${t.attempt}).`);
      this.live.trialUpdated(toTrialSummary(t));
    }
    for (const s of sweeps) this.live.sweepUpdated(toSweepSummary(s));
    return trials.length;
  }
}
