import { ApiClient } from '@ablate/contracts';

/**
 * The typed REST client in the browser, for reads the page makes as the user scrolls (leaderboard
 * pages, events). The scheduler allows the dashboard's origin (ABLATE_CORS_ORIGINS); writes go
 * through server actions, which send the actor header.
 */
export function createBrowserClient(apiUrl: string): ApiClient {
  const noStoreFetch: typeof fetch = (input, init) => fetch(input, { ...init, cache: 'no-store' });
  return new ApiClient({ baseUrl: apiUrl, fetch: noStoreFetch });
}
