import type { PipeTransform } from '@nestjs/common';
import { ApiError, ErrorCode, toValidationIssues } from '@ablate/contracts';
import type { z } from 'zod';

/** Validates a request body with a contracts schema; failures become `validation_failed` with field paths. */
export class ZodBody<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new ApiError(ErrorCode.ValidationFailed, 'The request body is invalid.', toValidationIssues(result.error));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` is shaped like a uuid (ids that are not can't exist, so callers answer 404). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
