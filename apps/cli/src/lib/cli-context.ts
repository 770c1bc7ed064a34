import { ApiClient, ApiError } from '@ablate/contracts';
import os from 'node:os';

/** The options every command that talks to the scheduler takes. */
export interface ApiOptions {
  api: string;
}

/**
 * Where the scheduler is when `--api` is not given: `ABLATE_API_URL`, else the loopback on
 * `ABLATE_API_PORT` (what `ablate up` listens on), else port 4000.
 */
export function defaultApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ABLATE_API_URL) return env.ABLATE_API_URL;
  const port = env.ABLATE_API_PORT?.trim();
  return `http://127.0.0.1:${port || '4000'}`;
}

/** `--api <url>`, shared by every scheduler command. */
export function apiOption(): readonly [string, string, string] {
  return [
    '--api <url>',
    'scheduler URL (ABLATE_API_URL, else the loopback on ABLATE_API_PORT)',
    defaultApiUrl(),
  ];
}

/** Who runs the CLI, sent with every call as `X-Ablate-Actor` and recorded in sweep events. */
export function actorName(): string {
  try {
    return os.userInfo().username || 'cli';
  } catch {
    // No passwd entry for this uid (some containers).
    return process.env.USER ?? process.env.LOGNAME ?? 'cli';
  }
}

export function client(opts: ApiOptions): ApiClient {
  return new ApiClient({ baseUrl: opts.api, actor: actorName() });
}

/** Prints an API error with its field issues, then exits 1. */
export function fail(err: unknown): never {
  if (err instanceof ApiError) {
    console.error(`Error (${err.code}): ${err.message}`);
    for (const issue of err.issues ?? []) console.error(`  ${issue.path}: ${issue.message}`);
  } else if (err instanceof TypeError && err.message === 'fetch failed') {
    console.error(
      'Error: could not reach the scheduler. Is Ablate running (npm start)? Pass --api <url>, or set ABLATE_API_URL or ABLATE_API_PORT.',
    );
  } else {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
}

/** Runs a command action; an error is printed (with its field issues) and exits 1. */
export function guarded<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return (...args) => action(...args).catch(fail);
}
