import { Inject, Injectable } from '@nestjs/common';
import {
  ApiError,
  CHECKPOINT_MEDIA_TYPE,
  CHECKPOINT_STEP_HEADER,
  DEFAULT_MAX_CHECKPOINT_BYTES,
  ErrorCode,
  echo,
  parseCheckpointStep,
  type CheckpointInfo,
  type CheckpointRemoval,
} from '@ablate/contracts';
import type { ReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isUuid } from '../../common/zod-body.pipe.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { ArtifactsRepository } from './artifacts.repository.js';
import { CheckpointFiles } from './checkpoint-files.js';
import { checkpointAccess, mayRemoveCheckpoint } from './checkpoint-rules.js';

/** An upload as the controller hands it over: the body stream and the headers that describe it. */
export interface CheckpointUpload {
  body: Readable;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  contentLength: string | undefined;
  step: string | undefined;
}

/** A stored checkpoint, opened for sending. */
export interface CheckpointDownload {
  info: CheckpointInfo;
  stream: ReadStream;
}

/**
 * Trial checkpoints kept by the scheduler, so a trial resumes on any node without a shared folder.
 * Workers read and write only the checkpoints of trials they hold; users download any.
 */
@Injectable()
export class ArtifactsService {
  readonly files: CheckpointFiles;
  private readonly maxBytes: number;

  constructor(
    private readonly repository: ArtifactsRepository,
    @Inject(SCHEDULER_CONFIG) config: SchedulerConfig,
  ) {
    this.files = new CheckpointFiles(config.artifactsDir ?? path.resolve('.ablate', 'artifacts'));
    this.maxBytes = config.maxCheckpointBytes ?? DEFAULT_MAX_CHECKPOINT_BYTES;
  }

  /** Stores the checkpoint `workerId` uploads for a trial it holds; the previous one stays until this one is complete. */
  async upload(workerId: string, trialId: string, upload: CheckpointUpload): Promise<CheckpointInfo> {
    await this.assertHolder(workerId, trialId);
    const step = parseCheckpointStep(upload.step);
    if (step === null) {
      throw new ApiError(ErrorCode.ValidationFailed, `Send the checkpoint's step in the ${CHECKPOINT_STEP_HEADER} header (a whole number ≥ 0).`, [
        { path: `headers.${CHECKPOINT_STEP_HEADER}`, message: 'expected a whole number ≥ 0' },
      ]);
    }
    if (upload.contentType?.split(';')[0]?.trim().toLowerCase() !== CHECKPOINT_MEDIA_TYPE || (upload.contentEncoding && upload.contentEncoding !== 'identity')) {
      throw new ApiError(ErrorCode.UnsupportedMediaType, `A checkpoint is uploaded as Content-Type: ${CHECKPOINT_MEDIA_TYPE} (the folder as a gzipped tar), without Content-Encoding.`);
    }
    if (upload.contentLength !== undefined && Number(upload.contentLength) > this.maxBytes) {
      throw new ApiError(ErrorCode.PayloadTooLarge, `The checkpoint (${upload.contentLength} bytes) is larger than ${this.maxBytes} bytes, the scheduler's ABLATE_CHECKPOINT_MAX_BYTES.`);
    }
    return this.files.write(trialId, upload.body, { step, workerId, maxBytes: this.maxBytes, stillAllowed: () => this.assertHolder(workerId, trialId) });
  }

  /** The latest checkpoint of a trial `workerId` holds (it is about to resume it). */
  async download(workerId: string, trialId: string): Promise<CheckpointDownload> {
    await this.assertHolder(workerId, trialId);
    return this.stored(trialId);
  }

  /** The latest checkpoint of any trial (the trial page's download). */
  async downloadForUser(trialId: string): Promise<CheckpointDownload> {
    if (!isUuid(trialId) || !(await this.repository.findHold(trialId))) throw notFound(trialId);
    return this.stored(trialId);
  }

  /** The stored checkpoint's step, size and time (the trial page's download link), or null. */
  checkpointInfo(trialId: string): Promise<CheckpointInfo | null> {
    return this.files.info(trialId);
  }

  /** Removes a trial's checkpoint: its holder may, and any worker once the trial never runs again. */
  async remove(workerId: string, trialId: string): Promise<CheckpointRemoval> {
    if (!isUuid(trialId)) throw notFound(trialId);
    const hold = await this.repository.findHold(trialId);
    if (!hold) throw notFound(trialId);
    if (!mayRemoveCheckpoint(hold, workerId)) throw notHeld(workerId, trialId);
    return { trialId, removed: await this.files.remove(trialId) };
  }

  private async assertHolder(workerId: string, trialId: string): Promise<void> {
    if (!isUuid(trialId)) throw notFound(trialId);
    switch (checkpointAccess(await this.repository.findHold(trialId), workerId)) {
      case null:
        return;
      case 'not_found':
        throw notFound(trialId);
      case 'finished':
        throw new ApiError(ErrorCode.TrialFinished, `Trial ${trialId} is over; its checkpoint can no longer be written or resumed.`);
      case 'not_held':
        throw notHeld(workerId, trialId);
    }
  }

  private async stored(trialId: string): Promise<CheckpointDownload> {
    const found = await this.files.read(trialId);
    if (!found) throw new ApiError(ErrorCode.CheckpointNotFound, `Trial ${trialId} has no stored checkpoint (none was uploaded yet, or the retention rule removed it).`);
    return found;
  }
}

function notFound(trialId: string): ApiError {
  return new ApiError(ErrorCode.TrialNotFound, `No trial with id "${echo(trialId)}".`);
}

function notHeld(workerId: string, trialId: string): ApiError {
  return new ApiError(ErrorCode.LeaseNotHeld, `Worker ${workerId} does not hold trial ${trialId}: only the worker holding its lease may read or write its checkpoint.`);
}
