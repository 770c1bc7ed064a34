import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { LivePublisher } from '../live/live.publisher.js';
import { SweepsService } from '../sweeps/sweeps.service.js';
import { toTrialSummary } from './trial.mapper.js';
import { TrialsRepository } from './trials.repository.js';

/** Requeues trials whose worker vanished (lease not renewed in time), so another worker resumes them. */
@Injectable()
export class LeaseReaperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaseReaperService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly trials: TrialsRepository,
    private readonly sweeps: SweepsService,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(250, Math.floor(this.config.leaseTtlMs / 4));
    this.timer = setInterval(() => {
      this.reap().catch((err: unknown) => this.logger.error(err));
    }, every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; returns how many trials it requeued or failed. */
  async reap(): Promise<number> {
    const expired = await this.trials.expireLeases(this.clock.now());
    for (const t of expired) {
      this.logger.warn(`Trial ${t.id}: lease expired, now ${t.status} (attempt ${t.attempt}).`);
      this.live.trialUpdated(toTrialSummary(t));
    }
    for (const sweepId of new Set(expired.map((t) => t.sweepId))) this.live.sweepUpdated(await this.sweeps.summary(sweepId));
    return expired.length;
  }
}
