import type { PipeTransform } from '@nestjs/common';
import { ApiError, ErrorCode, echo, toValidationIssues } from '@ablate/contracts';
import type { z } from 'zod';

/** Validates a request body with a contracts schema; failures become `validation_failed` with field paths. */
export class ZodBody<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    return parseOr400(this.schema, value, 'The request body is invalid.');
  }
}

/** Validates a query string (`@Query()`) with a contracts schema, as `ZodBody` does a body. */
export class ZodQuery<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    return parseOr400(this.schema, value ?? {}, 'The query is invalid.');
  }
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toValidationIssues(result.error);
  const first = issues[0];
  // The message names the first failing field so a log line or a CLI error says what to fix.
  const detail = first ? ` ${echo(first.path)}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more, see issues)` : ''}` : '';
  throw new ApiError(ErrorCode.ValidationFailed, `${what}${detail}`, issues);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` is shaped like a uuid (ids that are not can't exist, so callers answer 404). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
