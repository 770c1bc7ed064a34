import { HttpException } from '@nestjs/common';
import { ApiError, ErrorCode, echo } from '@ablate/contracts';
import { JSON_BODY_LIMIT } from './http-pipeline.js';
import { databaseApiError } from './database-errors.js';

/** What to log about an error: nothing (the caller's mistake), one line (an outage), or the stack (a bug). */
export type ErrorLogLevel = 'none' | 'line' | 'stack';

export interface MappedError {
  error: ApiError;
  log: ErrorLogLevel;
}

/** body-parser (raw-body) errors carry a `type`; each gets a message that says what to send instead. */
function bodyParserError(type: string, err: { message?: string; charset?: string; encoding?: string }): ApiError | null {
  switch (type) {
    case 'entity.too.large':
      return new ApiError(ErrorCode.PayloadTooLarge, `The request body is larger than ${JSON_BODY_LIMIT}; send a smaller body (specs and reports are a few kB).`);
    case 'charset.unsupported':
      return new ApiError(
        ErrorCode.UnsupportedMediaType,
        `The body's charset "${echo(err.charset ?? '?')}" is not supported; send JSON in UTF-8 (Content-Type: application/json or application/json; charset=utf-8).`,
      );
    case 'encoding.unsupported':
      return new ApiError(
        ErrorCode.UnsupportedMediaType,
        `Content-Encoding "${echo(err.encoding ?? '?')}" is not supported; send the body uncompressed or with gzip, deflate or br.`,
      );
    case 'entity.parse.failed':
      return new ApiError(ErrorCode.ValidationFailed, `The request body is not valid JSON (${echo(err.message ?? '')}); send a JSON object.`);
    case 'request.aborted':
      return new ApiError(ErrorCode.ValidationFailed, 'The request was aborted before its body arrived; send it again.');
    case 'request.size.invalid':
      return new ApiError(ErrorCode.ValidationFailed, 'The body length does not match its Content-Length header; send the header that fits the body, or none.');
    default:
      return null;
  }
}

/** The HTTP-errors object behind an exception (Nest wraps body-parser's in an HttpException's `cause`). */
function httpErrorOf(exception: unknown): { type?: unknown; status?: unknown; statusCode?: unknown } | null {
  const candidate = exception instanceof HttpException ? exception.cause : exception;
  return candidate !== null && typeof candidate === 'object' ? candidate : null;
}

/** Any other 4xx from Nest or Express (a URL that is not valid UTF-8, a bare 405, ...). */
function fromHttpStatus(status: number, message: string): ApiError | null {
  if (status === 404 || status === 405) return new ApiError(ErrorCode.RouteNotFound, 'No such route. The scheduler lists its routes at /api/docs (OpenAPI: /api/openapi.json).');
  if (status === 401) return new ApiError(ErrorCode.Unauthorized, echo(message));
  if (status === 403) return new ApiError(ErrorCode.Forbidden, echo(message));
  if (status === 413) return new ApiError(ErrorCode.PayloadTooLarge, `The request body is larger than ${JSON_BODY_LIMIT}; send a smaller body.`);
  if (status === 415) return new ApiError(ErrorCode.UnsupportedMediaType, 'Send the body as JSON in UTF-8 (Content-Type: application/json).');
  if (status === 503) return new ApiError(ErrorCode.Unavailable, 'The scheduler is unavailable right now; retry in a few seconds.');
  if (status >= 400 && status < 500) return new ApiError(ErrorCode.ValidationFailed, `The request could not be read: ${echo(message)}`);
  return null;
}

/**
 * One mapping from anything a handler, pipe, guard, middleware or body parser throws to the API
 * error the caller gets, used by the HTTP filter and the socket gateway alike.
 */
export function toApiError(exception: unknown): MappedError {
  if (exception instanceof ApiError) return { error: exception, log: exception.status >= 500 ? 'line' : 'none' };
  const httpError = httpErrorOf(exception);
  if (typeof httpError?.type === 'string') {
    const mapped = bodyParserError(httpError.type, httpError as { message?: string });
    if (mapped) return { error: mapped, log: 'none' };
  }
  if (exception instanceof HttpException) {
    const mapped = fromHttpStatus(exception.getStatus(), exception.message);
    if (mapped) return { error: mapped, log: 'none' };
  }
  const database = databaseApiError(exception);
  if (database) return { error: database, log: 'line' };
  return { error: new ApiError(ErrorCode.Internal, 'Internal error; the scheduler log has the details.'), log: 'stack' };
}

const LOG_LINE_LIMIT = 300;
// eslint-disable-next-line no-control-regex -- masking control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** The line or stack to log for `exception` (empty for `none`). */
export function logText(exception: unknown, level: ErrorLogLevel): string {
  if (level === 'none') return '';
  if (level === 'stack') return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
  // The first line only, control characters masked: a hostile value cannot forge log lines.
  const message = ((exception instanceof Error ? exception.message : String(exception)).split('\n')[0] ?? '').replace(CONTROL_CHARACTERS, '?');
  return message.length <= LOG_LINE_LIMIT ? message : `${message.slice(0, LOG_LINE_LIMIT)}…`;
}
