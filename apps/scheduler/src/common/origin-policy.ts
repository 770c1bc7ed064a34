import { ApiError, ErrorCode, echo } from '@ablate/contracts';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Which browser pages may talk to the scheduler. A request with no `Origin` header comes from the
 * CLI, a worker, curl or the dashboard's server side and passes; one with an `Origin` passes only
 * when it is listed in ABLATE_CORS_ORIGINS. CORS alone is not enough: it only hides responses
 * from pages, the request itself still runs, and socket.io never checks Origin on a WebSocket
 * upgrade. So any page a user visits could otherwise read live data or write through the API.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(origins: readonly string[]) {
    this.allowed = new Set(origins.map(normalizeOrigin));
  }

  /** True when a request carrying this `Origin` header (or none) may proceed. */
  allows(origin: string | string[] | undefined): boolean {
    if (origin === undefined) return true;
    if (Array.isArray(origin)) return false;
    return this.allowed.has(normalizeOrigin(origin));
  }

  /** The 403 a refused origin gets; it names the variable that would let the origin in. */
  refusal(origin: string): ApiError {
    return new ApiError(
      ErrorCode.OriginNotAllowed,
      `Requests from the web origin "${echo(origin)}" are refused. Only the dashboard's origins may call the scheduler from a browser; ` +
        'if this origin is your dashboard, add it to ABLATE_CORS_ORIGINS (comma-separated) and restart the scheduler.',
    );
  }

  /** Express middleware: 403 `origin_not_allowed` for a foreign origin, CORS preflights included. */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, _res, next) => {
      const origin = req.headers.origin;
      if (this.allows(origin)) return next();
      next(this.refusal(String(origin)));
    };
  }

  /** engine.io `allowRequest`: refuses the socket.io handshake (polling or WebSocket) of a foreign origin. */
  allowSocketRequest(): (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void {
    return (req, callback) => {
      const origin = req.headers.origin;
      if (this.allows(origin)) return callback(null, true);
      callback(this.refusal(String(origin)).message, false);
    };
  }
}

/** `scheme://host[:port]` in lower case without a trailing slash, the form browsers send. */
export function normalizeOrigin(origin: string): string {
  const trimmed = origin.trim().replace(/\/+$/, '');
  try {
    const url = new URL(trimmed);
    // `null` (sandboxed frames, file:) and other opaque origins stay as written: never listed, never allowed.
    return url.origin === 'null' ? trimmed.toLowerCase() : url.origin;
  } catch {
    return trimmed.toLowerCase();
  }
}
