import { CHECKPOINT_MEDIA_TYPE, CHECKPOINT_STEP_HEADER, ErrorCode } from '@ablate/contracts';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errors, idParam } from '../openapi/openapi-responses.js';

/** `GET /api/trials/:id/model`: a CNN trial's network as a TF.js layers model. */
export const trialModelPaths: ZodOpenApiPathsObject = {
  '/api/trials/{id}/model': {
    get: {
      tags: ['trials'],
      summary: "Download a CNN trial's model (TF.js)",
      description:
        "A `.tar.gz` of `model.json`, `weights.bin` and `ablate-model.json` (epoch, input shape and scaling, classes, feature layers) from the trial's stored checkpoint: the weights of its best epoch so far, with stock TF.js layers only, for `tf.loadLayersModel` or a transfer trial's `extractor`. Only mnist-cnn and cifar10-cnn trials have one.",
      requestParams: idParam('Trial'),
      responses: {
        '200': {
          description: 'The archive, as an attachment.',
          headers: z.object({ [CHECKPOINT_STEP_HEADER]: z.string().meta({ description: 'The step of the checkpoint it comes from.' }) }),
          content: { [CHECKPOINT_MEDIA_TYPE]: { schema: z.string().meta({ format: 'binary', description: 'The model as a gzipped tar.' }) } },
        },
        ...errors(ErrorCode.TrialNotFound, ErrorCode.CheckpointNotFound, ErrorCode.ModelNotAvailable),
      },
    },
  },
};
