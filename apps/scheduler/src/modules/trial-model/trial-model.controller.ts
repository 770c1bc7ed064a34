import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { CHECKPOINT_MEDIA_TYPE, CHECKPOINT_STEP_HEADER } from '@ablate/contracts';
import type { Response } from 'express';
import { TrialModelService } from './trial-model.service.js';

@Controller('api/trials')
export class TrialModelController {
  constructor(private readonly models: TrialModelService) {}

  /**
   * A user route (the trial page's "Download model (TF.js)"): the network of a mnist-cnn or cifar10-cnn trial as a
   * `.tar.gz` of `model.json`, `weights.bin` and `ablate-model.json`, for `tf.loadLayersModel` or a transfer trial's
   * `extractor`; the weights of the best epoch so far. 404 for other templates and for trials with no checkpoint.
   */
  @Get(':id/model')
  async download(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const model = await this.models.model(id);
    res.setHeader(CHECKPOINT_STEP_HEADER, String(model.step));
    return new StreamableFile(model.archive, { type: CHECKPOINT_MEDIA_TYPE, length: model.archive.length, disposition: `attachment; filename="trial-${id}-model.tar.gz"` });
  }
}
