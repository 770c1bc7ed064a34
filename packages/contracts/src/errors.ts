import { z } from 'zod';

/** Every error the API can return. Clients switch on `code`; `message` says what to fix. */
export const ErrorCode = {
  /** The request body or query failed validation; `issues` lists each failing field. */
  ValidationFailed: 'validation_failed',
  /** The sweep id does not exist (or is not visible to the caller). */
  SweepNotFound: 'sweep_not_found',
  /** The trial id does not exist (or is not visible to the caller). */
  TrialNotFound: 'trial_not_found',
  /** The worker id is not registered: register again. */
  WorkerNotFound: 'worker_not_found',
  /** The worker reported on a trial it does not hold (lease expired or taken by another worker). */
  LeaseNotHeld: 'lease_not_held',
  /** The trial is already finished; further reports are refused. */
  TrialFinished: 'trial_finished',
  /** No checkpoint of this trial is stored (it never uploaded one, or it was removed by the retention rule). */
  CheckpointNotFound: 'checkpoint_not_found',
  /** The trial has no network to download as a TF.js model: its template trains none (only the CNN templates do), or its checkpoint predates model export. */
  ModelNotAvailable: 'model_not_available',
  /** The sweep has finished (completed, failed or cancelled), or is stopping, so this steering action no longer applies; the message names its status. */
  SweepFinished: 'sweep_finished',
  /** Missing or wrong credentials. */
  Unauthorized: 'unauthorized',
  /** The caller may not see or change this resource. */
  Forbidden: 'forbidden',
  /** The request came from a browser page whose origin is not in ABLATE_CORS_ORIGINS. */
  OriginNotAllowed: 'origin_not_allowed',
  /** The route does not exist. */
  RouteNotFound: 'route_not_found',
  /** The body is not JSON in UTF-8 (wrong charset or an unknown Content-Encoding). */
  UnsupportedMediaType: 'unsupported_media_type',
  /** The body is larger than the API accepts. */
  PayloadTooLarge: 'payload_too_large',
  /** The database is unreachable for now; nothing was stored, so the same call can be retried. */
  Unavailable: 'unavailable',
  /** Anything unexpected; the server log has the details. */
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for each error code. */
export const errorHttpStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  sweep_not_found: 404,
  trial_not_found: 404,
  worker_not_found: 404,
  lease_not_held: 409,
  trial_finished: 409,
  checkpoint_not_found: 404,
  model_not_available: 404,
  sweep_finished: 409,
  unauthorized: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  route_not_found: 404,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

/** One failing field of a request. */
export const ValidationIssue = z.object({
  /** Dotted path of the field, e.g. `parameters.dropout.values.1`. */
  path: z.string(),
  /** What is wrong and what is expected. */
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/** The body of every non-2xx response. */
export const ApiErrorBody = z.object({
  /** Machine-readable code, see `ErrorCode`. */
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  /** Human-readable explanation that says what to fix. */
  message: z.string(),
  /** Present for `validation_failed`. */
  issues: z.array(ValidationIssue).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** A typed API error, thrown by the server and rebuilt by clients from the response body. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return errorHttpStatus[this.code];
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/** Turns zod issues into API validation issues with dotted paths. */
export function toValidationIssues(error: z.ZodError, prefix: (string | number)[] = []): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
