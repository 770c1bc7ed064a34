import { defineConfig } from '@playwright/test';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Unusual ports so the run never collides with a developer's `ablate up` on the defaults.
const API_PORT = process.env.E2E_API_PORT ?? '4100';
const DASHBOARD_PORT = process.env.E2E_DASHBOARD_PORT ?? '3100';
const PG_PORT = process.env.E2E_PG_PORT ?? '5533';
const DASHBOARD_URL = `http://localhost:${DASHBOARD_PORT}`;
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with \`apt-get update && apt-get install -y chromium\` (never \`npx playwright install\`).`);
}
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A fresh data directory per run; set once here so Playwright's worker processes (which load this
// file again) reuse it instead of creating their own.
process.env.ABLATE_E2E_HOME ??= freshDataDir();

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-'));
  // Embedded PostgreSQL runs as its own user when we are root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  return dir;
}

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.e2e-spec.ts',
  outputDir: process.env.E2E_OUTPUT_DIR ?? './test-results',
  // Training four small trials on a shared CPU takes a while; the waits inside say what for.
  timeout: 300_000,
  expect: { timeout: 15_000 },
  retries: 0,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['html', { open: 'never', outputFolder: process.env.E2E_REPORT_DIR ?? './playwright-report' }]],
  use: {
    baseURL: DASHBOARD_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      // Debian's Chromium: no browser download (`npx playwright install` is never run).
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: {
    // The whole product as users start it: embedded PostgreSQL, scheduler, `next start`, a worker.
    command: 'node apps/cli/dist/main.js up',
    cwd: repoRoot,
    url: DASHBOARD_URL,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    env: {
      ABLATE_HOME: process.env.ABLATE_E2E_HOME,
      ABLATE_API_PORT: API_PORT,
      ABLATE_DASHBOARD_PORT: DASHBOARD_PORT,
      ABLATE_PG_PORT: PG_PORT,
      ABLATE_LOCAL_WORKERS: '1',
    },
  },
});
