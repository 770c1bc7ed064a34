import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { ChangePublisher } from '../sweeps/change.publisher.js';
import { SweepFollowUps } from '../sweeps/sweep-follow-up.repository.js';
import { SweepsRepository } from '../sweeps/sweeps.repository.js';
import { WorkersService } from '../workers/workers.service.js';
import { LeasesRepository } from './leases.repository.js';

/** Overdue follow-ups one pass runs at most (each is one short transaction). */
const FOLLOW_UPS_PER_PASS = 50;

/**
 * Requeues trials whose worker vanished (lease not renewed in time), so another worker resumes
 * them, and removes workers that have been silent for long.
 *
 * Lease grace: while the scheduler or PostgreSQL is down, no worker can heartbeat, so every lease
 * looks expired the moment the reaper runs again (that used a retry of every trial in flight, and
 * requeued trials whose workers were fine). At start, and on the first pass that succeeds after
 * failed ones, the reaper first moves every live lease to at least now + TTL and expires nothing;
 * a worker that really died is reaped one TTL later.
 *
 * Each pass also runs follow-ups a write left undone (the scheduler died between a report and its
 * follow-up, or the follow-up failed): unfinished sweeps with nothing open, a stop with leftovers,
 * too many failures. Without it such a sweep would stay running forever.
 *
 * It also pushes workers that turned lost to the workers page and says in a GPU sweep's reason
 * when no live worker has enough GPUs for its trials (`WorkersService.checkLiveness`).
 */
@Injectable()
export class LeaseReaperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaseReaperService.name);
  private timer: NodeJS.Timeout | null = null;
  private graceDue = true;
  private failing = false;

  constructor(
    private readonly leases: LeasesRepository,
    private readonly sweeps: SweepsRepository,
    private readonly followUps: SweepFollowUps,
    private readonly workers: WorkersService,
    private readonly clock: Clock,
    private readonly publisher: ChangePublisher,
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
      await this.runOverdueFollowUps();
      await this.workers.removeSilentWorkers(this.clock.now());
      await this.workers.checkLiveness(this.clock.now());
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
    const { expired, changes } = await this.leases.expireLeases(this.clock.now());
    for (const t of expired) {
      const now = changes.trials.get(t.id) ?? t;
      this.logger.warn(`Trial ${t.id}: lease expired, now ${now.status} (attempt ${now.attempt}).`);
    }
    this.publisher.publish(changes);
    return expired.length;
  }

  /** One sweep's follow-up failing is logged, not thrown: it must not turn every pass into a grace pass. */
  private async runOverdueFollowUps(): Promise<void> {
    for (const id of await this.sweeps.findSweepsDueFollowUp(FOLLOW_UPS_PER_PASS)) {
      try {
        this.publisher.publish(await this.followUps.run(id, this.clock.now()));
      } catch (err) {
        this.logger.warn(`Sweep ${id}: follow-up failed, retried next pass: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
