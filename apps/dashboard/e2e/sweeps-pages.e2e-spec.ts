import { ApiClient, type SweepSpecInput } from '@ablate/contracts';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api } from './scheduler-api';

/**
 * The Sweeps page and the New sweep page: launch from the form and from a pasted YAML spec (each
 * sweep is cancelled at once: nothing needs to train), clone, a sweep whose every trial failed
 * (seeded by a fake GPU worker, which the stack's CPU worker never competes with), paging past
 * 200 sweeps, and both themes.
 */
// Set E2E_SCREENS_DIR to collect every page's screenshot in one folder (they are test artifacts either way).
const SCREENS = process.env.E2E_SCREENS_DIR;
const API_URL = `http://localhost:${process.env.E2E_API_PORT ?? '4100'}`;
const metric = { name: 'val_acc', goal: 'maximize' } as const;

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
  if (!SCREENS) return;
  mkdirSync(SCREENS, { recursive: true });
  copyFileSync(file, path.join(SCREENS, `${name}.png`));
}

/** The id of the sweep page the browser is on, once a launch has redirected there. */
async function launchedSweepId(page: Page): Promise<string> {
  await page.waitForURL(/\/sweeps\/[0-9a-f-]{36}$/);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

test('launches from the form, validating as the user types; clones the sweep', async ({ page }, testInfo) => {
  await page.goto('/sweeps/new');
  const form = page.getByRole('form', { name: 'New sweep' });
  const name = `e2e form ${Date.now()}`;
  await form.getByLabel('Name', { exact: true }).fill(name);
  await expect(form.getByTestId('validity')).toHaveText('valid spec');
  // A value outside the template's range: the message appears under the knob before any launch.
  const dropout = form.getByLabel('dropout', { exact: true });
  await dropout.fill('0, 1.5');
  await expect(form.getByTestId('error-parameters.dropout')).toContainText('1.5');
  await expect(dropout).toHaveAttribute('aria-invalid', 'true');
  await dropout.fill('0, 0.5');
  // Booleans are ticked; integers get a range control; the count follows.
  await form.getByLabel('batchNorm true', { exact: true }).uncheck();
  await form.getByLabel('epochs', { exact: true }).fill('1');
  await expect(form.getByTestId('trial-count')).toHaveText('2 trials');
  await form.getByLabel('learningRate: sweep as').selectOption('range');
  await form.getByLabel('learningRate min').fill('0.0001');
  await form.getByLabel('learningRate max').fill('0.01');
  // A grid cannot walk a range: the contract says so on the field, naming its path.
  await expect(form.getByTestId('error-parameters.learningRate')).toBeVisible();
  await form.getByLabel('Method', { exact: true }).selectOption('random');
  await form.getByLabel('Max trials', { exact: true }).fill('2');
  await expect(form.getByTestId('validity')).toHaveText('valid spec');
  await screenshot(page, testInfo, 'new-sweep-form');
  await form.getByRole('button', { name: 'Launch sweep' }).click();
  const id = await launchedSweepId(page);
  await api.cancelSweep(id);
  const { sweep } = await api.getSweep(id, { top: 1 });
  expect(sweep.spec).toMatchObject({ name, method: 'random', maxTrials: 2, parameters: { dropout: { values: [0, 0.5] }, learningRate: { uniform: { min: 0.0001, max: 0.01 } } } });

  // Clone: the form opens on the same spec.
  await page.goto(`/sweeps/new?from=${id}`);
  const clone = page.getByRole('form', { name: 'New sweep' });
  await expect(clone.getByLabel('Name', { exact: true })).toHaveValue(`${name} (clone)`);
  await expect(clone.getByLabel('dropout', { exact: true })).toHaveValue('0, 0.5');
  await expect(clone.getByLabel('learningRate min')).toHaveValue('0.0001');
  await expect(clone.getByLabel('Method', { exact: true })).toHaveValue('random');
});

test('launches from a pasted YAML spec, naming the path of each issue first', async ({ page }, testInfo) => {
  await page.goto('/sweeps/new');
  await page.getByRole('tab', { name: 'Paste or upload YAML / JSON' }).click();
  const text = page.getByLabel('Spec (YAML or JSON)');
  const name = `e2e yaml ${Date.now()}`;
  const spec = (knob: string) => `name: ${name}\ntemplate: mnist-cnn\nparameters:\n  ${knob}: { values: [0, 0.3] }\n  epochs: { value: 1 }\nmetric: { name: val_acc, goal: maximize }\n`;
  await text.fill(spec('dropuot'));
  await expect(page.getByTestId('spec-issues')).toContainText('parameters.dropuot');
  await expect(page.getByTestId('spec-issues')).toContainText('dropout');
  await screenshot(page, testInfo, 'new-sweep-yaml');
  // An uploaded file fills the same editor (JSON here; YAML reads both).
  const json = { name, template: 'mnist-cnn', parameters: { dropout: { values: [0, 0.3] }, epochs: { value: 1 } }, metric };
  await page.getByLabel('Upload a spec file').setInputFiles({ name: 'spec.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
  await expect(text).toHaveValue(JSON.stringify(json));
  await expect(page.getByTestId('spec-valid')).toBeVisible();
  await text.fill(spec('dropout'));
  await expect(page.getByTestId('spec-valid')).toBeVisible();
  await page.getByRole('button', { name: 'Launch sweep from spec' }).click();
  const id = await launchedSweepId(page);
  await api.cancelSweep(id);
  expect((await api.getSweep(id, { top: 1 })).sweep).toMatchObject({ name, total: 2, launchedBy: expect.stringMatching(/^dashboard/) });
});

test('a sweep whose every trial failed is failed, in red, with its most common error', async ({ page }) => {
  const home = process.env.ABLATE_E2E_HOME;
  if (!home) throw new Error('ABLATE_E2E_HOME is unset: run this spec through playwright.config.ts');
  const token = readFileSync(path.join(home, 'worker-token'), 'utf8').trim();
  // It asks for a GPU, so only the fake GPU node below leases its trials.
  const sweep = await api.createSweep({ name: 'e2e all failed', project: 'course', template: 'mnist-cnn', parameters: { dropout: { values: [0, 0.3, 0.5] } }, maxRetries: 0, metric, resources: { gpus: 1 } });
  const reg = await new ApiClient({ baseUrl: API_URL, token }).registerWorker({ host: 'e2e-fake-gpu-d1', slots: 1, backends: ['tensorflow'], gpus: [{ index: 0, name: 'fake', memoryTotalMb: 1024 }] });
  const worker = new ApiClient({ baseUrl: API_URL, token, worker: reg });
  for (const error of ['image folder not found: /data/cats', 'image folder not found: /data/cats', 'NaN loss at epoch 2']) {
    const { trial } = await worker.leaseTrial(reg.workerId, { freeGpus: 1, freeSlots: 1 });
    if (trial?.sweepId !== sweep.id) throw new Error(`the fake GPU worker leased ${JSON.stringify(trial)}`);
    await worker.report(trial.id, { type: 'failed', workerId: reg.workerId, error, retryable: false });
  }
  // A sweep with scores: its best one is listed.
  const scored = await api.createSweep({ name: 'e2e scored', project: 'course', template: 'mnist-cnn', parameters: { dropout: { values: [0, 0.3] } }, metric, resources: { gpus: 1 } });
  for (const score of [0.87, 0.91]) {
    const { trial } = await worker.leaseTrial(reg.workerId, { freeGpus: 1, freeSlots: 1 });
    if (trial?.sweepId !== scored.id) throw new Error(`the fake GPU worker leased ${JSON.stringify(trial)}`);
    await worker.report(trial.id, { type: 'completed', workerId: reg.workerId, step: 1, metrics: { val_acc: score } });
  }
  await page.goto('/');
  const scoredRow = page.locator('[data-testid="sweep-row"]', { hasText: 'e2e scored' });
  await expect(scoredRow).toHaveAttribute('data-status', 'completed');
  await expect(scoredRow.getByTestId('sweep-best')).toContainText('0.91');
  const row = page.locator('[data-testid="sweep-row"]', { hasText: 'e2e all failed' });
  await expect(row).toHaveAttribute('data-status', 'failed');
  await expect(row.getByTestId('status-badge')).toHaveText('failed');
  await expect(row.getByTestId('sweep-reason')).toHaveText('every trial failed; most common error (2 of 3): image folder not found: /data/cats');
  // Red in both themes: the badge uses --danger.
  const danger = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--danger').trim());
  expect(await row.getByTestId('status-badge').evaluate((el) => getComputedStyle(el).color)).toBe(await page.evaluate((c) => {
    const probe = document.createElement('span');
    probe.style.color = c;
    document.body.append(probe);
    const rgb = getComputedStyle(probe).color;
    probe.remove();
    return rgb;
  }, danger));
  // Enter on a focused row opens the sweep.
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/sweeps/${sweep.id}$`));
  // Clone from the sweep page's header.
  await page.getByTestId('clone-sweep').click();
  await expect(page).toHaveURL(new RegExp(`/sweeps/new\\?from=${sweep.id}$`));
  await expect(page.getByRole('form', { name: 'New sweep' }).getByLabel('Name', { exact: true })).toHaveValue('e2e all failed (clone)');
});

test('light and dark themes on a 1366×768 laptop: the system choice by default, the toggle remembered across reloads', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.getByTestId('sweep-row').first()).toBeVisible();
  await screenshot(page, testInfo, 'sweeps-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await expect.poll(background).toBe('rgb(17, 21, 28)');
  await screenshot(page, testInfo, 'sweeps-dark');
  await page.goto('/sweeps/new');
  await screenshot(page, testInfo, 'new-sweep-dark');
  // The toggle overrides the system and is remembered, applied before the first paint.
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(244, 246, 249)');
  await screenshot(page, testInfo, 'new-sweep-light');
});

test('pages past 200 sweeps, 100 at a time, and filters by project', async ({ page }, testInfo) => {
  const tiny = (i: number): SweepSpecInput => ({ name: `e2e tiny ${String(i).padStart(3, '0')}`, project: 'paging', template: 'mnist-cnn', parameters: {}, metric, resources: { gpus: 1 } });
  for (let batch = 0; batch < 210; batch += 30) {
    const created = await Promise.all(Array.from({ length: 30 }, (_, k) => api.createSweep(tiny(batch + k))));
    await Promise.all(created.map((s) => api.cancelSweep(s.id)));
  }
  await page.goto('/');
  const paging = page.getByTestId('sweeps-paging');
  await expect(page.getByTestId('sweep-row')).toHaveCount(100);
  await expect(paging).toContainText('1–100 of');
  await paging.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(paging).toContainText('101–200 of');
  await paging.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(/page=3/);
  await expect(page.locator('[data-testid="sweep-row"]', { hasText: 'e2e all failed' })).toHaveCount(1);
  // By project: the failed sweep's project holds it and the scored one.
  await page.locator('[data-testid="sweep-row"]', { hasText: 'e2e all failed' }).getByRole('link', { name: 'course' }).click();
  await expect(page.getByTestId('project-filter')).toContainText('course');
  await expect(page.getByTestId('sweep-row')).toHaveCount(2);
  await page.getByLabel('Project', { exact: true }).selectOption('paging');
  await expect(page).toHaveURL(/\?project=paging$/);
  await expect(page.getByTestId('sweeps-paging')).toContainText('1–100 of 210');
  await page.goto('/?project=paging&page=3');
  await expect(page.getByTestId('sweep-row')).toHaveCount(10);
  await expect(page.getByTestId('sweep-row').last()).toContainText(/e2e tiny 0[0-2]\d/);
  await screenshot(page, testInfo, 'sweeps-paging');
});
