import { CHECKPOINT_MEDIA_TYPE, CHECKPOINT_STEP_HEADER, CheckpointInfo, CheckpointRemoval, ErrorCode } from '@ablate/contracts';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { WORKER_IDENTITY, errors, idParam, ok } from '../openapi/openapi-responses.js';

/** A checkpoint archive in a request or an answer. */
const archive = { [CHECKPOINT_MEDIA_TYPE]: { schema: z.string().meta({ format: 'binary', description: 'The checkpoint folder as a gzipped tar.' }) } };
const stepHeader = z.object({ [CHECKPOINT_STEP_HEADER]: z.string().meta({ description: 'The step (epoch) the checkpoint was taken at.' }) });
const WORKER_REFUSALS = [ErrorCode.Unauthorized, ErrorCode.Forbidden, ErrorCode.WorkerNotFound];

/** The checkpoint routes of the scheduler's artifact store. */
export const artifactPaths: ZodOpenApiPathsObject = {
  '/api/trials/{id}/checkpoint': {
    put: {
      tags: ['worker protocol'],
      summary: "Upload a held trial's checkpoint (worker)",
      description:
        'Only the worker holding the lease. Streamed; stored only once complete (a cut upload keeps the previous checkpoint); at most ABLATE_CHECKPOINT_MAX_BYTES.',
      security: WORKER_IDENTITY,
      requestParams: { ...idParam('Trial'), header: stepHeader },
      requestBody: { required: true, content: archive },
      responses: {
        ...ok(CheckpointInfo, 'Stored; it replaced the previous checkpoint.'),
        ...errors(
          ErrorCode.ValidationFailed,
          ErrorCode.TrialNotFound,
          ErrorCode.LeaseNotHeld,
          ErrorCode.TrialFinished,
          ErrorCode.UnsupportedMediaType,
          ErrorCode.PayloadTooLarge,
          ...WORKER_REFUSALS,
        ),
      },
    },
    get: {
      tags: ['worker protocol'],
      summary: "Download a held trial's latest checkpoint (worker)",
      description: `Only the worker holding the lease, before it resumes the trial. The step is in the ${CHECKPOINT_STEP_HEADER} answer header.`,
      security: WORKER_IDENTITY,
      requestParams: idParam('Trial'),
      responses: {
        '200': { description: 'The archive.', headers: stepHeader, content: archive },
        ...errors(ErrorCode.TrialNotFound, ErrorCode.CheckpointNotFound, ErrorCode.LeaseNotHeld, ErrorCode.TrialFinished, ...WORKER_REFUSALS),
      },
    },
    delete: {
      tags: ['worker protocol'],
      summary: "Remove a trial's checkpoint (worker)",
      description: 'The lease holder may, and any worker once the trial was cancelled, pruned or failed.',
      security: WORKER_IDENTITY,
      requestParams: idParam('Trial'),
      responses: {
        ...ok(CheckpointRemoval, 'Removed (or there was none).'),
        ...errors(ErrorCode.TrialNotFound, ErrorCode.LeaseNotHeld, ...WORKER_REFUSALS),
      },
    },
  },
  '/api/trials/{id}/checkpoint/download': {
    get: {
      tags: ['trials'],
      summary: "Download a trial's latest checkpoint",
      description: "A `.tar.gz` of the trial's checkpoint folder (a completed trial's is its trained model), with its step in a header.",
      requestParams: idParam('Trial'),
      responses: {
        '200': { description: 'The archive, as an attachment.', headers: stepHeader, content: archive },
        ...errors(ErrorCode.TrialNotFound, ErrorCode.CheckpointNotFound),
      },
    },
  },
};
