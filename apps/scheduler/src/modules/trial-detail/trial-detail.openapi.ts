import { ErrorCode, TrialDetail } from '@ablate/contracts';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errors, idParam, ok } from '../openapi/openapi-responses.js';

/** `GET /api/trials/:id`: what the dashboard's trial page shows besides curves and log. */
export const trialDetailPaths: ZodOpenApiPathsObject = {
  '/api/trials/{id}': {
    get: {
      tags: ['trials'],
      summary: 'One trial with its runs',
      description:
        "The trial, its sweep (name, template, ranking metric, status), the code of its last failure, every lease of it (attempt, worker and host, start, end, outcome, the failure's code and message) and its checkpoint in the scheduler's store. Curves: `GET /api/trials/{id}/metrics`; log: `GET /api/trials/{id}/logs`.",
      requestParams: idParam('Trial'),
      responses: { ...ok(TrialDetail, 'The trial.'), ...errors(ErrorCode.TrialNotFound) },
    },
  },
};
