import { ErrorCode, TrialLogBatch, TrialLogBatchResponse, TrialLogTail } from '@ablate/contracts';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { WORKER_IDENTITY, errors, idParam, jsonBody, ok } from '../openapi/openapi-responses.js';

/** `GET /api/trials/:id/logs` (users) and `POST` (the worker holding the trial). */
export const trialLogPaths: ZodOpenApiPathsObject = {
  '/api/trials/{id}/logs': {
    get: {
      tags: ['trials'],
      summary: "A trial's log tail",
      description:
        'The last lines (at most 500 and 64 kB, all attempts together) its program wrote to stdout and stderr and the agent wrote about it, oldest first. Live: `trial:subscribe` on /live acks this tail, then `trial:log` pushes new lines.',
      requestParams: idParam('Trial'),
      responses: { ...ok(TrialLogTail, 'The tail.'), ...errors(ErrorCode.TrialNotFound) },
    },
    post: {
      tags: ['worker protocol'],
      summary: 'Send log lines of a held trial (worker)',
      description:
        'Lines of the attempt the worker holds, in order. Idempotent: a line (attempt, seq) sent again is stored once. Older lines beyond the bounds are dropped.',
      security: WORKER_IDENTITY,
      requestParams: idParam('Trial'),
      requestBody: jsonBody(TrialLogBatch),
      responses: {
        ...ok(TrialLogBatchResponse, 'Stored.'),
        ...errors(ErrorCode.ValidationFailed, ErrorCode.TrialNotFound, ErrorCode.LeaseNotHeld, ErrorCode.TrialFinished, ErrorCode.Unauthorized, ErrorCode.Forbidden, ErrorCode.WorkerNotFound),
      },
    },
  },
};
