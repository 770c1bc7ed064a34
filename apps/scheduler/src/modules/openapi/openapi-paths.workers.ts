import {
  ErrorCode,
  HeartbeatRequest,
  HeartbeatResponse,
  LeaseRequest,
  LeaseResponse,
  RegisterWorkerRequest,
  RegisterWorkerResponse,
  ReportResponse,
  TemplateList,
  TrialMetrics,
  TrialMetricsQuery,
  TrialReport,
  TrialSummary,
  WorkerList,
} from '@ablate/contracts';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  POOL_TOKEN,
  WORKER_IDENTITY,
  actorHeader,
  errors,
  idParam,
  jsonBody,
  ok,
} from './openapi-responses.js';

/** What a worker must fix when a call of its own is refused. */
const WORKER_REFUSALS = [ErrorCode.Unauthorized, ErrorCode.Forbidden, ErrorCode.WorkerNotFound];

/** Trials, workers (the agent's protocol), templates and health. */
export const workerPaths: ZodOpenApiPathsObject = {
  '/api/trials/{id}/cancel': {
    post: {
      tags: ['trials'],
      summary: 'Cancel one trial',
      description:
        'The worker running it is told within a second (pushed on the /workers socket) and stops training.',
      requestParams: { ...idParam('Trial'), header: actorHeader },
      responses: {
        ...ok(TrialSummary, 'The cancelled trial.'),
        ...errors(ErrorCode.TrialNotFound, ErrorCode.TrialFinished, ErrorCode.SweepFinished),
      },
    },
  },
  '/api/trials/{id}/metrics': {
    get: {
      tags: ['trials'],
      summary: "A trial's metric curves",
      description:
        'Points ordered by step, then name. A page that follows a running trial asks `afterStep` = the highest step it has and appends the answer: steps are never reported twice, not even after a crash and resume.',
      requestParams: { ...idParam('Trial'), query: TrialMetricsQuery },
      responses: {
        ...ok(TrialMetrics, 'Every stored point, or with `afterStep` those with a later step.'),
        ...errors(ErrorCode.ValidationFailed, ErrorCode.TrialNotFound),
      },
    },
  },
  '/api/trials/{id}/reports': {
    post: {
      tags: ['worker protocol'],
      summary: 'Report on a held trial (worker)',
      description:
        'An epoch, completion, failure or hand-back. Idempotent: a repeated report changes nothing. The answer says whether to go on (`decision`: continue, cancel, prune or pause, with `reason`).',
      security: WORKER_IDENTITY,
      requestParams: idParam('Trial'),
      requestBody: jsonBody(TrialReport),
      responses: {
        ...ok(ReportResponse, 'Accepted, with the decision.'),
        ...errors(
          ErrorCode.ValidationFailed,
          ErrorCode.TrialNotFound,
          ErrorCode.LeaseNotHeld,
          ErrorCode.TrialFinished,
          ...WORKER_REFUSALS,
        ),
      },
    },
  },
  '/api/workers': {
    get: {
      tags: ['workers'],
      summary: 'Registered workers',
      description:
        'Most recently seen first, with the leases each holds, its GPUs and slots, `live` or `lost` (no heartbeat within the lease TTL), and the gauges of its last heartbeat; never a secret. Live updates: `workers:subscribe` on /live.',
      responses: { ...ok(WorkerList, 'The workers.'), ...errors() },
    },
    post: {
      tags: ['worker protocol'],
      summary: 'Register a worker',
      description:
        'Needs the pool token. The answer carries the `workerSecret` every later call proves itself with (`X-Ablate-Worker: <workerId>:<workerSecret>`); it is never shown again.',
      security: POOL_TOKEN,
      requestBody: jsonBody(RegisterWorkerRequest),
      responses: {
        ...ok(RegisterWorkerResponse, 'Registered.', '201'),
        ...errors(ErrorCode.ValidationFailed, ErrorCode.Unauthorized),
      },
    },
  },
  '/api/workers/{id}/heartbeat': {
    post: {
      tags: ['worker protocol'],
      summary: 'Heartbeat (worker)',
      description: 'Renews the leases of the trials it names and answers `stop` for those it must stop.',
      security: WORKER_IDENTITY,
      requestParams: idParam('Worker'),
      requestBody: { required: false, content: { 'application/json': { schema: HeartbeatRequest } } },
      responses: {
        ...ok(HeartbeatResponse, 'Renewed leases and trials to stop.'),
        ...errors(ErrorCode.ValidationFailed, ...WORKER_REFUSALS),
      },
    },
  },
  '/api/workers/{id}/lease': {
    post: {
      tags: ['worker protocol'],
      summary: 'Lease the next trial (worker)',
      description:
        'The body says what the worker can hold now: `freeSlots` (0 leases nothing) and `freeGpus`; a trial whose sweep asks `resources.gpus` above it is passed over, and so are command sweeps for a worker registered with `commands: false`. Without a body: one slot, no GPU.',
      security: WORKER_IDENTITY,
      requestParams: idParam('Worker'),
      requestBody: { required: false, content: { 'application/json': { schema: LeaseRequest } } },
      responses: {
        ...ok(LeaseResponse, 'A trial, or null when none is queued.'),
        ...errors(...WORKER_REFUSALS),
      },
    },
  },
  '/api/templates': {
    get: {
      tags: ['templates'],
      summary: 'Built-in templates',
      description: 'With their default params, metrics and knobs (`params`: each param\'s type, default, range, choices, whether it is required and its doc comment, built from the template\'s schema), for launch forms.',
      responses: { ...ok(TemplateList, 'The templates.'), ...errors() },
    },
  },
  '/api/health': {
    get: {
      tags: ['health'],
      summary: 'Health',
      description: 'Answers once the database does; 503 `unavailable` while it is away.',
      responses: { ...ok(z.object({ ok: z.literal(true), database: z.literal('up'), version: z.string().meta({ description: "The scheduler's version." }) }), 'Up.'), ...errors() },
    },
  },
};
