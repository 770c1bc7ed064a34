import { expect, test } from '@playwright/test';
import { api } from './scheduler-api';

test('launches a random search over ranges from the form; the sampled knobs are columns', async ({ page }, testInfo) => {
  await page.goto('/sweeps/new');
  const form = page.getByRole('form', { name: 'New sweep' });
  await form.getByLabel('Name', { exact: true }).fill(`e2e random ${Date.now()}`);
  await form.getByLabel('dropout: sweep as').selectOption('range');
  await form.getByLabel('dropout min').fill('0');
  await form.getByLabel('dropout max').fill('0.5');
  await form.getByLabel('batchNorm true', { exact: true }).uncheck();
  await form.getByLabel('learningRate: sweep as').selectOption('range');
  await form.getByLabel('learningRate min').fill('1e-4');
  await form.getByLabel('learningRate max').fill('1e-2');
  await form.getByTestId('knob-learningRate').getByLabel('log scale').check();
  await form.getByLabel('epochs', { exact: true }).fill('1');
  await form.getByLabel('Method', { exact: true }).selectOption('random');
  await expect(form.getByText('set max trials', { exact: true })).toBeVisible();
  await form.getByLabel('Max trials', { exact: true }).fill('3');
  await form.getByLabel('Sampler seed', { exact: true }).fill('7');
  await expect(form.getByText('3 trials', { exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('form.png'), fullPage: true });
  await form.getByRole('button', { name: 'Launch sweep' }).click();

  await page.waitForURL(/\/sweeps\/[^/]+$/);
  await expect(page.getByText(/random search/)).toBeVisible();
  const rows = page.getByTestId('trial-row');
  await expect(rows).toHaveCount(3);
  const headers = await page.getByRole('columnheader').allTextContents();
  expect(headers.slice(0, 3).map((h) => h.toLowerCase())).toEqual(['rank', 'dropout', 'learningrate']);
  const sampled = await rows.evaluateAll((els) => els.map((row) => [(row as HTMLTableRowElement).cells[1]?.textContent, (row as HTMLTableRowElement).cells[2]?.textContent]));
  for (const [dropout, rate] of sampled) {
    expect(Number(dropout)).toBeGreaterThanOrEqual(0);
    expect(Number(dropout)).toBeLessThanOrEqual(0.5);
    expect(Number(rate)).toBeGreaterThanOrEqual(1e-4);
    expect(Number(rate)).toBeLessThanOrEqual(1e-2);
  }
  expect(new Set(sampled.map(([d]) => d)).size).toBe(3);
  await page.screenshot({ path: testInfo.outputPath('random.png'), fullPage: true });
  await api.cancelSweep(page.url().split('/').at(-1)!);
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'cancelled');
});

test('a failed sweep says why, in red, on its page and in the list', async ({ page }, testInfo) => {
  const sweep = await api.createSweep({
    name: `e2e failing ${Date.now()}`,
    template: 'timeseries-causal-cnn',
    parameters: { dataset: { value: 'csv' }, csvPath: { value: 'no-such-file.csv' } },
    metric: { name: 'val_mse', goal: 'minimize' },
    maxRetries: 0,
  });
  await page.goto(`/sweeps/${sweep.id}`);
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  const reason = page.getByTestId('sweep-reason');
  await expect(reason).toContainText('every trial failed');
  await expect(reason).toHaveCSS('color', 'rgb(163, 35, 29)');
  await expect(page.getByTestId('trial-row').first()).toHaveAttribute('data-status', 'failed');
  await page.screenshot({ path: testInfo.outputPath('failed.png'), fullPage: true });

  await page.goto('/');
  const row = page.locator('[data-testid="sweep-row"][data-status="failed"]', { hasText: sweep.name });
  await expect(row).toContainText('every trial failed');
  await page.screenshot({ path: testInfo.outputPath('list.png'), fullPage: true });
});
