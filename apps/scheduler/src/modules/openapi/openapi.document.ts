import {
  ApiErrorBody,
  ErrorCode,
  LeasedTrial,
  RankedTrial,
  SweepSpec,
  SweepSummary,
  TrialSummary,
  WORKER_IDENTITY_HEADER,
} from '@ablate/contracts';
import { z } from 'zod';
import { createDocument, type ZodOpenApiObject } from 'zod-openapi';
import { errors } from './openapi-responses.js';
import { sweepPaths } from './openapi-paths.sweeps.js';
import { workerPaths } from './openapi-paths.workers.js';
import { artifactPaths } from '../artifacts/artifacts.openapi.js';
import { trialLogPaths } from '../trial-logs/trial-logs.openapi.js';
import { trialDetailPaths } from '../trial-detail/trial-detail.openapi.js';
import { trialModelPaths } from '../trial-model/trial-model.openapi.js';

/** Where the document and its viewer are served. */
export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const OPENAPI_UI_PATH = '/api/docs';

const DESCRIPTION = `The scheduler's REST API, generated from the zod contracts in \`packages/contracts\` (the same
schemas the scheduler validates with and clients parse with). What a document cannot say (the
socket.io events of \`/live\` and \`/workers\`, worker identity, retries) is in docs/api.md.

Every error answers \`ApiErrorBody\` \`{ code, message, issues? }\`; \`code\` decides, \`message\` says what to fix.
Requests from a browser page whose origin is not in \`ABLATE_CORS_ORIGINS\` get 403 \`origin_not_allowed\`.`;

/** The paths that serve the document itself, so that the document lists every route. */
const docsPaths: ZodOpenApiObject['paths'] = {
  [OPENAPI_JSON_PATH]: {
    get: {
      tags: ['docs'],
      summary: 'This document (OpenAPI 3.1)',
      responses: {
        '200': {
          description: 'The document.',
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
        },
        ...errors(),
      },
    },
  },
  [OPENAPI_UI_PATH]: {
    get: {
      tags: ['docs'],
      summary: 'Swagger UI for this document (served locally, works offline)',
      responses: {
        '200': { description: 'An HTML page.', content: { 'text/html': { schema: z.string() } } },
      },
    },
  },
  [`${OPENAPI_UI_PATH}/{asset}`]: {
    get: {
      tags: ['docs'],
      summary: "The UI's scripts and styles",
      requestParams: { path: z.object({ asset: z.string() }) },
      responses: { '200': { description: 'The file.' }, ...errors(ErrorCode.RouteNotFound) },
    },
  },
};

/** Builds the OpenAPI 3.1 document from the contracts; `version` is the scheduler's package version. */
export function buildOpenApiDocument(version: string): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Ablate scheduler API', version, description: DESCRIPTION },
    tags: [
      { name: 'sweeps', description: 'Launch, read, steer, rank, export and import sweeps.' },
      { name: 'trials', description: 'One trial: cancel it, read its curves.' },
      { name: 'workers', description: 'Who is connected.' },
      { name: 'worker protocol', description: 'What worker agents call (pool token, then worker identity).' },
      { name: 'templates', description: 'Built-in templates.' },
      { name: 'health', description: 'Liveness with the database.' },
      { name: 'docs', description: 'This document and its viewer.' },
    ],
    paths: { ...sweepPaths, ...workerPaths, ...artifactPaths, ...trialLogPaths, ...trialDetailPaths, ...trialModelPaths, ...docsPaths },
    components: {
      // Named, so clients generated from the document get these types by name.
      schemas: { SweepSpec, SweepSummary, TrialSummary, RankedTrial, LeasedTrial, ApiErrorBody },
      securitySchemes: {
        workerToken: { type: 'http', scheme: 'bearer', description: 'The pool token, ABLATE_WORKER_TOKEN.' },
        workerIdentity: {
          type: 'apiKey',
          in: 'header',
          name: WORKER_IDENTITY_HEADER,
          description:
            '`<workerId>:<workerSecret>` from registration; another worker id in the route or report is 403.',
        },
      },
    },
  });
}
