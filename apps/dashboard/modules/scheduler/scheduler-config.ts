const DEFAULT_API_URL = 'http://localhost:4000';

/** Where the scheduler lives, read per request so one build runs against any port. */
export interface SchedulerConfig {
  /** URL the dashboard server uses for its own fetches. */
  apiUrl: string;
  /** URL the browser uses (REST and socket.io); differs when the server sits behind a proxy. */
  publicApiUrl: string;
}

export function getSchedulerConfig(): SchedulerConfig {
  const apiUrl = readUrl('ABLATE_API_URL') ?? DEFAULT_API_URL;
  const publicApiUrl = readUrl('ABLATE_PUBLIC_API_URL') ?? apiUrl;
  return { apiUrl, publicApiUrl };
}

function readUrl(name: string): string | undefined {
  const value = process.env[name]?.trim();
  if (!value) return undefined;
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new Error(`${name} must be an absolute URL such as http://localhost:4000 (got "${value}")`);
  }
}
