import { ApiError, ErrorCode, echo } from '@ablate/contracts';

/** Socket and DNS errors a pg client reports when the server is down, restarting or unreachable. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs that say "try again later", not "your request is wrong": the server is shutting down
 * or starting (57P01-57P03), too many connections (53300), a statement cancelled (57014), and a
 * deadlock or serialization failure that outlived `inTransaction`'s retries (40P01, 40001).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '40P01', '40001']);

/** pg and pg-pool errors without a code, raised when a connection dies or none can be had. */
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /client was closed and is not queryable/i,
  /connection (is )?not (yet )?open/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /is not currently accepting connections/i,
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The SQLSTATE or errno of `err` or of what it wraps (TypeORM's `driverError`, `cause`, AggregateError). */
function codesOf(err: unknown, depth = 0): string[] {
  if (depth > 4 || err === null || typeof err !== 'object') return [];
  const e = err as ErrorLike;
  const own = typeof e.code === 'string' ? [e.code] : [];
  const inner = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return [...own, ...inner.flatMap((x) => codesOf(x, depth + 1))];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : typeof (err as ErrorLike | null)?.message === 'string' ? String((err as ErrorLike).message) : '';
}

/** True when `err` says PostgreSQL could not be reached or aborted the work for a reason unrelated to the request. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const codes = codesOf(err);
  if (codes.some((c) => CONNECTION_ERRNOS.has(c) || TRANSIENT_SQLSTATES.has(c) || c.startsWith('08'))) return true;
  const message = messageOf(err);
  return CONNECTION_MESSAGES.some((re) => re.test(message));
}

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22: a NUL or invalid byte sequence, a number out of
 * range, text too long) and invalid identifiers: the request carried a value the database cannot
 * hold. The API validates these first; this catches one that slipped through as a 400, not a 500.
 */
function isDataException(err: unknown): boolean {
  return codesOf(err).some((c) => c.startsWith('22'));
}

/** An `ApiError` for a database failure, or null when `err` is not one we can explain to the caller. */
export function databaseApiError(err: unknown): ApiError | null {
  if (isDatabaseUnavailable(err)) {
    return new ApiError(
      ErrorCode.Unavailable,
      'The database is unavailable right now; nothing was stored. Retry the same call in a few seconds.',
    );
  }
  if (isDataException(err)) {
    return new ApiError(
      ErrorCode.ValidationFailed,
      `A value in the request cannot be stored (${echo(messageOf(err))}); check the type and size of each field.`,
    );
  }
  return null;
}
