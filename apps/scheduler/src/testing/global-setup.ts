import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { keepExitCode } from './keep-exit-code.js';
import { startTestPostgres } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/** Vitest global setup: one PostgreSQL for the whole run, handed to test files as `pgAdminUrl`. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  keepExitCode();
  const { adminUrl, stop } = await startTestPostgres();
  project.provide('pgAdminUrl', adminUrl);
  return stop;
}
