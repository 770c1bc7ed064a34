import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, SWEEP_ARCHIVE_FORMAT, SWEEP_ARCHIVE_VERSION, echo, type SweepArchive, type SweepSummary } from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { LivePublisher } from '../live/live.publisher.js';
import { SweepsService } from '../sweeps/sweeps.service.js';
import { planImport } from './archive-plan.js';
import { ArchiveRepository } from './archive.repository.js';

/** `ablate sweep export` / `import`: a sweep with its trials and every metric point, as one file. */
@Injectable()
export class ArchiveService {
  constructor(
    private readonly archives: ArchiveRepository,
    private readonly sweeps: SweepsService,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
  ) {}

  async export(id: string): Promise<SweepArchive> {
    const record = isUuid(id) ? await this.archives.readSweep(id) : null;
    if (!record) throw new ApiError(ErrorCode.SweepNotFound, `No sweep with id "${echo(id)}".`);
    return { format: SWEEP_ARCHIVE_FORMAT, version: SWEEP_ARCHIVE_VERSION, exportedAt: this.clock.now().toISOString(), ...record };
  }

  /** Stores the archive as a new sweep (new ids) in one transaction, and shows it on live sweep lists. */
  async import(raw: unknown, project: unknown): Promise<SweepSummary> {
    const plan = planImport(raw, project, this.clock.now());
    const id = await this.archives.insertImported(plan);
    const summary = await this.sweeps.summary(id);
    this.live.sweepUpdated(summary);
    return summary;
  }
}
