import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Unit tests of the dashboard's pure logic; the pages are covered by the Playwright e2e. */
export default defineConfig({
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) }] },
  test: { include: ['modules/**/*.spec.ts'] },
});
