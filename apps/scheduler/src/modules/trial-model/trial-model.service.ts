import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiError, ErrorCode } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { isUuid } from '../../common/zod-body.pipe.js';
import { ArtifactsService } from '../artifacts/artifacts.service.js';
import { packModel, readModelFiles } from './model-archive.js';

/** Templates whose checkpoints carry a TF.js layers model (`model/`, written by the models package every epoch). */
export const MODEL_TEMPLATES: readonly string[] = ['mnist-cnn', 'cifar10-cnn'];

export interface TrialModel {
  step: number;
  archive: Buffer;
}

/** A CNN trial's network as a TF.js layers model, taken from its stored checkpoint. */
@Injectable()
export class TrialModelService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly artifacts: ArtifactsService,
  ) {}

  async model(trialId: string): Promise<TrialModel> {
    const template = isUuid(trialId) ? await this.templateOf(trialId) : null;
    if (template === null) throw new ApiError(ErrorCode.TrialNotFound, `No trial with id "${trialId.slice(0, 64)}".`);
    if (!MODEL_TEMPLATES.includes(template)) {
      throw new ApiError(ErrorCode.ModelNotAvailable, `Trial ${trialId} is a ${template} trial: only ${MODEL_TEMPLATES.join(' and ')} trials train a network that exports as a TF.js model.`);
    }
    const { info, stream } = await this.artifacts.downloadForUser(trialId);
    const files = await readModelFiles(stream);
    if (!files.has('model.json') || !files.has('weights.bin')) {
      throw new ApiError(
        ErrorCode.ModelNotAvailable,
        `Trial ${trialId}'s checkpoint (step ${info.step}) holds no model/ folder: it was written before checkpoints carried one. ` +
          `\`ablate trial export-model ${trialId} --out <dir>\` exports it from the checkpoint itself.`,
      );
    }
    return { step: info.step, archive: await packModel(files) };
  }

  private async templateOf(trialId: string): Promise<string | null> {
    const rows = await this.db.query<{ template: string }[]>('SELECT s.template FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE t.id = $1', [trialId]);
    return rows[0]?.template ?? null;
  }
}
