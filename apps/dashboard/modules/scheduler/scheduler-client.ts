import { ApiClient, ApiError, ErrorCode } from '@ablate/contracts';
import { getSchedulerConfig } from './scheduler-config';

/** Who the dashboard's steering calls are recorded as in sweep events (`X-Ablate-Actor`). */
export const DASHBOARD_ACTOR = 'dashboard';

/** The typed REST client for server components and actions; `actor` for calls that change a sweep. */
export function getSchedulerClient(options: { actor?: string } = {}): ApiClient {
  // `no-store`: every page shows the scheduler's current state, never a cached copy.
  const noStoreFetch: typeof fetch = (input, init) => fetch(input, { ...init, cache: 'no-store' });
  return new ApiClient({ baseUrl: getSchedulerConfig().apiUrl, fetch: noStoreFetch, ...options });
}

/** A failure to talk to the scheduler, in words a user can act on. */
export interface SchedulerFailure {
  /** What went wrong. */
  message: string;
  /** The URL the dashboard tried. */
  apiUrl: string;
}

/** True when the error says the thing asked for does not exist (render a 404). */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return (
    error.code === ErrorCode.SweepNotFound ||
    error.code === ErrorCode.RouteNotFound ||
    // A malformed id can never name a sweep.
    error.code === ErrorCode.ValidationFailed
  );
}

/** Turns any error from a scheduler call into a message for the page. */
export function describeSchedulerError(error: unknown): SchedulerFailure {
  const { apiUrl } = getSchedulerConfig();
  if (error instanceof ApiError) return { apiUrl, message: error.message };
  // The page shows a short message; the operator's log keeps the cause.
  console.error(`scheduler request to ${apiUrl} failed:`, error);
  // fetch rejects with a TypeError when nothing listens; zod throws when a body breaks the contract.
  if (error instanceof TypeError) return { apiUrl, message: `The scheduler at ${apiUrl} is not reachable.` };
  return { apiUrl, message: `The scheduler at ${apiUrl} sent a response the dashboard does not understand.` };
}
