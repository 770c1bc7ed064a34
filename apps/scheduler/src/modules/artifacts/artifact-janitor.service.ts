import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { ArtifactsRepository } from './artifacts.repository.js';
import { ArtifactsService } from './artifacts.service.js';
import { isCheckpointExpired } from './checkpoint-rules.js';

/** How often the janitor looks at the store: removals are never urgent, and a pass reads every trial folder. */
const PASS_EVERY_MS = 10 * 60_000;
/** An upload's temp file older than this was left by a scheduler that died mid-upload. */
const STALE_UPLOAD_MS = 60 * 60_000;

/**
 * Applies the retention rule (`isCheckpointExpired`) to the scheduler's checkpoint store every ten
 * minutes: checkpoints of cancelled, pruned and failed trials go, and so do those of trials that no
 * longer exist; a completed trial's last checkpoint (its trained model) stays for
 * ABLATE_CHECKPOINT_KEEP_DAYS after it finished.
 */
@Injectable()
export class ArtifactJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ArtifactJanitor.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly artifacts: ArtifactsService,
    private readonly repository: ArtifactsRepository,
    private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn(`Checkpoint cleanup failed; it runs again in ten minutes: ${err instanceof Error ? err.message : String(err)}`));
    }, PASS_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; returns the trial ids whose checkpoints it removed. */
  async sweep(): Promise<string[]> {
    const files = this.artifacts.files;
    const ids = await files.trialIds();
    if (ids.length === 0) return [];
    const holds = new Map((await this.repository.findHolds(ids)).map((h) => [h.id, h]));
    const now = this.clock.now();
    const removed: string[] = [];
    for (const id of ids) {
      if (isCheckpointExpired(holds.get(id) ?? null, now, this.config.checkpointKeepDays ?? 14)) {
        await files.remove(id);
        removed.push(id);
      } else {
        await files.removeStaleUploads(id, STALE_UPLOAD_MS, Date.now()); // file times are wall-clock times
      }
    }
    if (removed.length > 0) this.logger.log(`Removed the checkpoints of ${removed.length} trial(s) that no longer need them.`);
    return removed;
  }
}
