import {
  ErrorCode,
  LeaderboardPage,
  LeaderboardQuery,
  SWEEP_ARCHIVE_MEDIA_TYPE,
  SweepAnalysis,
  SweepArchive,
  SweepDetail,
  SweepDetailQuery,
  SweepEventList,
  SweepList,
  SweepListQuery,
  SweepSpec,
  SweepSummary,
  UpdateSweepRequest,
} from '@ablate/contracts';
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { actorHeader, errors, idParam, jsonBody, ok } from './openapi-responses.js';

const tags = ['sweeps'];

/** `POST /api/sweeps/{id}/<action>`: steering; a finished sweep answers 409 `sweep_finished` with its status. */
function steer(summary: string, description: string): { post: ZodOpenApiOperationObject } {
  return {
    post: {
      tags,
      summary,
      description,
      requestParams: { ...idParam('Sweep'), header: actorHeader },
      responses: {
        ...ok(SweepSummary, 'The sweep after the action.'),
        ...errors(ErrorCode.SweepNotFound, ErrorCode.SweepFinished),
      },
    },
  };
}

/** Sweeps: create, read, steer, rank, export and import. */
export const sweepPaths: ZodOpenApiPathsObject = {
  '/api/sweeps': {
    post: {
      tags,
      summary: 'Launch a sweep',
      description:
        'Validates the spec (every failing field at once, with "did you mean" for a misspelt parameter) and creates the sweep with its first trials. Nothing is stored for a refused spec. See docs/sweep-spec.md.',
      requestParams: { header: actorHeader },
      requestBody: jsonBody(SweepSpec),
      responses: {
        ...ok(SweepSummary, 'The new sweep.', '201'),
        ...errors(ErrorCode.ValidationFailed, ErrorCode.PayloadTooLarge, ErrorCode.UnsupportedMediaType),
      },
    },
    get: {
      tags,
      summary: 'List sweeps',
      description: 'Newest first, one page at a time (`offset`, `limit` up to 200), each with its best score and who launched it; `total` counts them all.',
      requestParams: { query: SweepListQuery },
      responses: { ...ok(SweepList, 'The sweeps.'), ...errors(ErrorCode.ValidationFailed) },
    },
  },
  '/api/sweeps/{id}': {
    get: {
      tags,
      summary: 'A sweep and its ranked trials',
      description: 'Every trial, ranked; with `top=N` only the N best (read through the leaderboard index).',
      requestParams: { ...idParam('Sweep'), query: SweepDetailQuery },
      responses: {
        ...ok(SweepDetail, 'The sweep.'),
        ...errors(ErrorCode.SweepNotFound, ErrorCode.ValidationFailed),
      },
    },
    patch: {
      tags,
      summary: 'Raise the trial budget of a running sweep',
      requestParams: { ...idParam('Sweep'), header: actorHeader },
      requestBody: jsonBody(UpdateSweepRequest),
      responses: {
        ...ok(SweepSummary, 'The sweep with its new budget.'),
        ...errors(ErrorCode.ValidationFailed, ErrorCode.SweepNotFound, ErrorCode.SweepFinished),
      },
    },
  },
  '/api/sweeps/{id}/pause': steer(
    'Pause a sweep',
    'No new trials start; running trials go on. Resume with `/resume`.',
  ),
  '/api/sweeps/{id}/resume': steer('Resume a paused sweep', 'Trials start again.'),
  '/api/sweeps/{id}/stop': steer(
    'Stop a sweep',
    'Running trials finish; no new ones start; then the sweep completes.',
  ),
  '/api/sweeps/{id}/cancel': steer(
    'Cancel a sweep',
    'Every unfinished trial is cancelled now; workers running one are told within a second.',
  ),
  '/api/sweeps/{id}/events': {
    get: {
      tags,
      summary: "A sweep's recorded actions",
      description:
        'Oldest first: who did what and when (launch, pause, resume, stop, cancel, budget, completion, failure).',
      requestParams: idParam('Sweep'),
      responses: { ...ok(SweepEventList, 'The events.'), ...errors(ErrorCode.SweepNotFound) },
    },
  },
  '/api/sweeps/{id}/leaderboard': {
    get: {
      tags,
      summary: 'One page of the ranked leaderboard',
      description:
        'Ranked by the database; `group=config` ranks configurations by the mean over their repeat seeds (± std, n).',
      requestParams: { ...idParam('Sweep'), query: LeaderboardQuery },
      responses: {
        ...ok(LeaderboardPage, 'The page.'),
        ...errors(ErrorCode.ValidationFailed, ErrorCode.SweepNotFound),
      },
    },
  },
  '/api/sweeps/{id}/analysis': {
    get: {
      tags,
      summary: 'Importance, ablation, best-so-far and parallel coordinates',
      description:
        'Over completed trials: each knob\'s main-effect variance share (η²), the ablation table (the baseline, each knob at its first listed value, and every configuration one knob away, mean ± std over seeds and n), parallel-coordinates lines (sampled past 10,000); best-so-far over completed and pruned trials in finish order.',
      requestParams: idParam('Sweep'),
      responses: { ...ok(SweepAnalysis, 'The analysis.'), ...errors(ErrorCode.SweepNotFound) },
    },
  },
  '/api/sweeps/{id}/download': {
    get: {
      tags,
      summary: 'Download the leaderboard as CSV or JSON',
      description:
        'A file (`Content-Disposition: attachment`) in the formats of `ablate sweep export`: `format=csv` (default) with `group=trial` (default) or `config` rows, or `group=series` (long format, a row per stored metric point: `trial_id,index,step,metric,value`), or `format=json` (ranked trials with every metric series, and configurations).',
      requestParams: {
        ...idParam('Sweep'),
        query: z.object({
          format: z.enum(['csv', 'json']).optional().meta({ description: 'csv (default) or json' }),
          group: z.enum(['trial', 'config', 'series']).optional().meta({ description: 'CSV rows: one per trial (default), per configuration over its seeds, or per metric point (series, CSV only)' }),
        }),
      },
      responses: {
        '200': {
          description: 'The file.',
          content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.unknown().meta({ description: 'LeaderboardExport (contracts)' }) } },
        },
        ...errors(ErrorCode.ValidationFailed, ErrorCode.SweepNotFound),
      },
    },
  },
  '/api/sweeps/{id}/export': {
    get: {
      tags,
      summary: 'Export a sweep as an archive',
      description: 'The sweep, its trials and every metric point, re-importable with `/api/sweeps/import`.',
      requestParams: idParam('Sweep'),
      responses: { ...ok(SweepArchive, 'The archive.'), ...errors(ErrorCode.SweepNotFound) },
    },
  },
  '/api/sweeps/import': {
    post: {
      tags,
      summary: 'Import an archive as a new sweep',
      description: `Body: the archive as \`${SWEEP_ARCHIVE_MEDIA_TYPE}\` (UTF-8, optionally \`Content-Encoding: gzip\`), up to 256 MB; a small one may be sent as application/json. New ids; unfinished trials are queued again.`,
      requestParams: {
        query: z.object({
          project: z
            .string()
            .optional()
            .meta({ description: 'File the sweep under this project (slug) instead of its own.' }),
        }),
      },
      requestBody: {
        required: true,
        content: {
          [SWEEP_ARCHIVE_MEDIA_TYPE]: { schema: SweepArchive },
          'application/json': { schema: SweepArchive },
        },
      },
      responses: {
        ...ok(SweepSummary, 'The imported sweep.', '201'),
        ...errors(ErrorCode.ValidationFailed, ErrorCode.PayloadTooLarge, ErrorCode.UnsupportedMediaType),
      },
    },
  },
};
