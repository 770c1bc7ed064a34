import { ApiClient } from '@ablate/contracts';

/** The scheduler `playwright.config.ts` starts (through `ablate up`), for tests that seed their own data. */
export const api = new ApiClient({ baseUrl: `http://localhost:${process.env.E2E_API_PORT ?? '4100'}`, actor: 'e2e seed' });
