import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, SWEEP_ARCHIVE_FORMAT, SWEEP_ARCHIVE_VERSION, echo, type SweepArchive, type SweepSummary } from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { ChangePublisher } from '../sweeps/change.publisher.js';
import { SweepFollowUps } from '../sweeps/sweep-follow-up.repository.js';
import { toSweepSummary } from '../sweeps/sweep.mapper.js';
import { SweepsRepository } from '../sweeps/sweeps.repository.js';
import { planImport } from './archive-plan.js';
import { ArchiveRepository } from './archive.repository.js';

/** `ablate sweep export` / `import`: a sweep with its trials, every metric point and its events, as one file. */
@Injectable()
export class ArchiveService {
  constructor(
    private readonly archives: ArchiveRepository,
    private readonly sweeps: SweepsRepository,
    private readonly followUps: SweepFollowUps,
    private readonly clock: Clock,
    private readonly publisher: ChangePublisher,
  ) {}

  async export(id: string): Promise<SweepArchive> {
    const record = isUuid(id) ? await this.archives.readSweep(id) : null;
    if (!record) throw new ApiError(ErrorCode.SweepNotFound, `No sweep with id "${echo(id)}".`);
    return { format: SWEEP_ARCHIVE_FORMAT, version: SWEEP_ARCHIVE_VERSION, exportedAt: this.clock.now().toISOString(), ...record };
  }

  /**
   * Stores the archive as a new sweep (new ids) in one transaction, runs its follow-up (a stopping
   * sweep cancels what it will not run; one with nothing left finishes) and shows it on live lists.
   */
  async import(raw: unknown, project: unknown): Promise<SweepSummary> {
    const plan = planImport(raw, project, this.clock.now());
    const id = await this.archives.insertImported(plan);
    const changes = await this.followUps.run(id, this.clock.now());
    const head = changes.sweeps.get(id) ?? (await this.sweeps.findSweep(id));
    if (!head) throw new Error(`Imported sweep ${id} vanished.`);
    this.publisher.publish(changes.sweep(head));
    return toSweepSummary(head);
  }
}
