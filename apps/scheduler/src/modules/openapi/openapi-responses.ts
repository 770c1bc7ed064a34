import { ACTOR_HEADER, ApiErrorBody, ErrorCode, errorHttpStatus } from '@ablate/contracts';
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponsesObject } from 'zod-openapi';

/** Errors any route can answer: a refused browser origin, a body the edge refuses, a database away. */
const EVERY_ROUTE: ErrorCode[] = [ErrorCode.OriginNotAllowed, ErrorCode.Unavailable, ErrorCode.Internal];

/**
 * The error responses of a route, one per HTTP status, each listing the codes it may carry. Every
 * body is `ApiErrorBody`; clients switch on `code`, and the message says what to fix.
 */
export function errors(...codes: ErrorCode[]): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, ...EVERY_ROUTE]) {
    const status = errorHttpStatus[code];
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((c) => `\`${c}\``).join(', '),
        content: { 'application/json': { schema: ApiErrorBody } },
      },
    ]),
  );
}

/** A 200 (or `status`) JSON answer with its contract. */
export function ok(schema: z.ZodType, description: string, status = '200'): ZodOpenApiResponsesObject {
  return { [status]: { description, content: { 'application/json': { schema } } } };
}

/** A JSON request body with its contract (rendered as the contract's input: defaults may be left out). */
export function jsonBody(schema: z.ZodType): ZodOpenApiOperationObject['requestBody'] {
  return { required: true, content: { 'application/json': { schema } } };
}

/** `{id}` in a route's path. */
export const idParam = (what: string) => ({
  path: z.object({ id: z.string().meta({ description: `${what} id (a uuid)` }) }),
});

/** The optional header that says who steers a sweep (recorded in its events). */
export const actorHeader = z.object({
  [ACTOR_HEADER]: z
    .string()
    .max(200)
    .optional()
    .meta({
      description:
        'Who acts, recorded in the sweep event (the CLI sends the OS user, the dashboard "dashboard").',
    }),
});

/** Security requirements: a worker's pool token, and after registration its identity as well. */
export const POOL_TOKEN = [{ workerToken: [] }];
export const WORKER_IDENTITY = [{ workerToken: [], workerIdentity: [] }];
