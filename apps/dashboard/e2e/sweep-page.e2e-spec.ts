import { ApiClient, type LeasedTrial } from '@ablate/contracts';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api } from './scheduler-api';

/**
 * The sweep page against the whole stack, with trials run by a fake worker over the API (fast and
 * deterministic). The sweeps ask for a GPU, so the stack's own CPU worker never takes their trials.
 */
const API_URL = `http://localhost:${process.env.E2E_API_PORT ?? '4100'}`;

async function fakeWorker(): Promise<{ client: ApiClient; workerId: string }> {
  const token = readFileSync(path.join(process.env.ABLATE_E2E_HOME ?? '', 'worker-token'), 'utf8').trim();
  const pool = new ApiClient({ baseUrl: API_URL, token });
  const reg = await pool.registerWorker({ host: 'e2e-fake-gpu', slots: 64, backends: ['cpu'], gpus: [{ index: 0, name: 'fake', memoryTotalMb: 1024 }] });
  return { client: new ApiClient({ baseUrl: API_URL, token, worker: reg }), workerId: reg.workerId };
}

/**
 * Leases `count` trials of the sweep. Leasing takes the oldest sweep's trials first, so queued trials
 * that earlier specs left behind come first: they are held and left to expire (their specs are done).
 */
async function leaseAll(w: { client: ApiClient; workerId: string }, sweepId: string, count: number): Promise<LeasedTrial[]> {
  const trials: LeasedTrial[] = [];
  for (let leases = 0; trials.length < count; leases++) {
    const { trial } = await w.client.leaseTrial(w.workerId, { freeGpus: 1, freeSlots: 1 });
    if (!trial || leases > 2_000) throw new Error(`only ${trials.length} of ${count} trials of sweep ${sweepId} could be leased`);
    if (trial.sweepId === sweepId) trials.push(trial);
  }
  return trials;
}

const CELL: Record<string, number> = { '0|false': 0.5, '0.3|false': 0.56, '0|true': 0.6, '0.3|true': 0.7 };
const scoreOf = (p: Record<string, unknown>) => CELL[`${String(p.dropout)}|${String(p.batchNorm)}`]! + (p.seed === 2 ? 0.02 : 0);

async function screenshotBothThemes(page: Page, file: string, testInfo: { outputPath: (name: string) => string }) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: testInfo.outputPath(`${file}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a dropout × batch-norm sweep: the ablation table fills live with one row per knob, importance, charts, and the CSV export has its rows', async ({ page }, testInfo) => {
  const sweep = await api.createSweep({
    name: `e2e ablation ${Date.now()}`,
    template: 'mnist-cnn',
    parameters: { dropout: { values: [0, 0.3] }, batchNorm: { values: [false, true] }, epochs: { value: 2 } },
    repeats: 2,
    resources: { gpus: 1 },
    metric: { name: 'val_acc', goal: 'maximize' },
  });
  await page.goto(`/sweeps/${sweep.id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('analysis-empty')).toBeVisible();
  const rows = page.getByTestId('ablation-row');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('ablation-baseline')).toHaveText('dropout 0 · batchNorm false');
  await expect(page.getByTestId('constant-params')).toContainText('epochs 2');

  const w = await fakeWorker();
  const trials = await leaseAll(w, sweep.id, 8);
  for (const t of trials) await w.client.report(t.id, { type: 'completed', workerId: w.workerId, step: 2, metrics: { val_acc: scoreOf(t.params) } });

  await expect(page.getByTestId('analysis')).toHaveAttribute('data-completed', '8');
  await expect(rows.nth(0)).toHaveAttribute('data-knob', 'baseline');
  await expect(rows.nth(1)).toHaveAttribute('data-knob', 'dropout');
  await expect(rows.nth(2)).toHaveAttribute('data-knob', 'batchNorm');
  for (const row of [0, 1, 2]) await expect(rows.nth(row)).toHaveAttribute('data-n', '2');
  await expect(rows.nth(0)).toContainText('0.5100 ± 0.0141');
  await expect(rows.nth(2)).toContainText('+0.1');
  await expect(rows.nth(2).locator('[data-verdict]')).toHaveAttribute('data-verdict', 'better');
  await expect(page.getByTestId('importance-row').first()).toHaveAttribute('data-knob', 'batchNorm');
  await expect(page.getByTestId('importance')).toContainText('η²');
  await expect(page.getByTestId('parallel-coordinates')).toHaveAttribute('data-lines', '8');
  await expect(page.getByTestId('parallel-coordinates').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('best-so-far').getByTestId('chart-ticks')).toHaveAttribute('data-y-ticks', /\d/);
  // Every tick reads differently, however close the values (they are written at the decimals their spacing needs).
  const yTicks = (await page.getByTestId('best-so-far').getByTestId('chart-ticks').getAttribute('data-y-ticks'))!.split(', ');
  expect(new Set(yTicks).size, yTicks.join(' | ')).toBe(yTicks.length);
  await expect(page.locator('[data-status-count="completed"]')).toHaveAttribute('data-n', '8');
  await expect(page.locator('[data-status-count="failed"]')).toHaveAttribute('data-n', '0');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await (await download).path();
  const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
  expect(lines).toHaveLength(9);
  expect(lines[0]).toMatch(/^rank,index,id,status,step,score \(val_acc\),/);
  expect(lines[1]).toMatch(/^1,\d+,[0-9a-f-]{36},completed,2,0\.72,/);
  await screenshotBothThemes(page, 'sweep-ablation', testInfo);
});

test('rows re-rank when a report arrives, the score says its epoch, and Enter on a row opens the trial page', async ({ page }, testInfo) => {
  const sweep = await api.createSweep({
    name: `e2e rerank ${Date.now()}`,
    template: 'mnist-cnn',
    parameters: { dropout: { values: [0, 0.1, 0.2, 0.3] }, epochs: { value: 3 } },
    resources: { gpus: 1 },
    metric: { name: 'val_acc', goal: 'maximize' },
  });
  const w = await fakeWorker();
  const trials = await leaseAll(w, sweep.id, 4);
  for (const [i, t] of trials.entries()) await w.client.report(t.id, { type: 'epoch', workerId: w.workerId, step: 1, metrics: { val_acc: 0.5 + i * 0.05 } });
  await page.goto(`/sweeps/${sweep.id}`);
  const first = page.getByTestId('trial-row').first();
  await expect(first).toHaveAttribute('data-trial-id', trials[3]!.id);
  await expect(page.getByTestId('score-legend')).toContainText('best val_acc of any epoch');

  // The last-ranked trial reports a better epoch: it moves to the top.
  await w.client.report(trials[0]!.id, { type: 'epoch', workerId: w.workerId, step: 2, metrics: { val_acc: 0.9 } });
  await expect(first).toHaveAttribute('data-trial-id', trials[0]!.id);
  await expect(first).toHaveAttribute('data-rank', '1');
  await expect(first.getByTestId('trial-score')).toHaveText('0.9000 @ epoch 2');
  await page.screenshot({ path: testInfo.outputPath('sweep-rerank.png'), fullPage: true });

  await first.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/trials/${trials[0]!.id}$`));
});
