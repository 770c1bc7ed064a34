import { ApiError, ErrorCode, echo, findUnstorableText } from '@ablate/contracts';
import type { NextFunction, Request, Response } from 'express';

/**
 * Refuses, on every route and before any guard, schema or query sees them, strings PostgreSQL
 * cannot store: a NUL or a lone UTF-16 surrogate in the JSON body (values or keys), the URL path
 * or the query string. Without this they reached the database and came back as 500s.
 */
export function storableTextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const refusal = unreadableUrl(req.path) ?? unstorable('query', req.query) ?? unstorable('body', req.body);
  next(refusal ?? undefined);
}

/**
 * Throws the same 400 the middleware answers when `body` holds text PostgreSQL cannot store. For
 * routes that read their body themselves (the archive import), past the JSON body parser.
 */
export function assertStorableBody(body: unknown): void {
  const refusal = unstorable('body', body);
  if (refusal) throw refusal;
}

function unstorable(where: 'query' | 'body', value: unknown): ApiError | null {
  const found = findUnstorableText(value);
  if (!found) return null;
  // Keys are the caller's text too: a huge one is shortened like any echoed value.
  const field = echo(where === 'query' ? `query.${found.path}` : found.path);
  return new ApiError(ErrorCode.ValidationFailed, `The request ${where} was refused: "${field}" ${found.message}.`, [
    { path: field, message: found.message },
  ]);
}

/** Each path segment must decode to storable UTF-8 (`%00`, `%FF` or an encoded surrogate cannot name anything). */
function unreadableUrl(path: string): ApiError | null {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return invalidPath('is not valid percent-encoded UTF-8');
    }
    const found = findUnstorableText(decoded);
    if (found) return invalidPath(found.message);
  }
  return null;
}

function invalidPath(reason: string): ApiError {
  return new ApiError(ErrorCode.ValidationFailed, `The URL path ${reason}; ids in the path are uuids.`, [{ path: '(url path)', message: reason }]);
}
