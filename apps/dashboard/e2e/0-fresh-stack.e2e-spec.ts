import { expect, test } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The Sweeps page of a fresh stack. Every e2e file shares one stack (playwright.config.ts starts
 * it once) and, with one worker, Playwright runs the files in alphabetical order: this file's name
 * sorts first so no other file has launched a sweep yet.
 */
const SCREENS = process.env.E2E_SCREENS_DIR;

test('no sweeps yet: the page says how to launch one', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByTestId('no-sweeps')).toContainText('No sweeps yet: launch one');
  await page.getByTestId('no-sweeps').getByRole('link', { name: 'Open the New sweep form' }).click();
  await expect(page).toHaveURL(/\/sweeps\/new$/);
  await page.goto('/');
  const file = testInfo.outputPath('sweeps-empty.png');
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach('sweeps-empty', { path: file, contentType: 'image/png' });
  if (SCREENS) {
    mkdirSync(SCREENS, { recursive: true });
    copyFileSync(file, path.join(SCREENS, 'sweeps-empty.png'));
  }
});
