import { ApiClient, type LeasedTrial, type WorkerTelemetry } from '@ablate/contracts';
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareHref } from '../modules/compare/lib/compare-href';
import { api } from './scheduler-api';

/**
 * The trial, compare and workers pages over data seeded through the API: a fake GPU node
 * registers, leases the trials of a sweep that asks for a GPU (so the stack's own CPU worker never
 * takes them), reports epochs, log lines and a permanent failure. Nothing trains: fast and exact.
 */
const FAKE_HOST = 'e2e-gpu-node';
// Set E2E_SCREENS_DIR to collect every page's screenshot in one folder (they are test artifacts either way).
const SCREENS = process.env.E2E_SCREENS_DIR;
const API_URL = `http://localhost:${process.env.E2E_API_PORT ?? '4100'}`;

interface Seeded {
  completed: LeasedTrial;
  other: LeasedTrial;
  failed: LeasedTrial;
  /** Left running on the fake node, with one epoch. */
  running: LeasedTrial;
  /** Sends the running trial's next log line. */
  log: (line: string) => Promise<void>;
  /** Reports the running trial's epoch `step`. */
  epoch: (step: number) => Promise<void>;
}

/** A checkpoint as a worker uploads it: a folder as a gzipped tar. */
function checkpointArchive(): Uint8Array<ArrayBuffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-ckpt-'));
  writeFileSync(path.join(dir, 'state.json'), '{"epoch":3}');
  return new Uint8Array(execFileSync('tar', ['-cz', '-C', dir, '.']));
}

function telemetry(trialIds: string[]): WorkerTelemetry {
  return {
    cpu: { utilizationPercent: 37, cores: 16 },
    memory: { usedBytes: 21 * 2 ** 30, totalBytes: 64 * 2 ** 30 },
    gpus: [{ index: 0, utilizationPercent: 83, memoryUsedMb: 30_000, memoryTotalMb: 81_920 }],
    slots: [
      { name: 'gpu0/1', gpus: [0], trialId: trialIds[0] ?? null },
      { name: 'gpu0/2', gpus: [0], trialId: trialIds[1] ?? null },
    ],
  };
}

async function seed(): Promise<Seeded> {
  const home = process.env.ABLATE_E2E_HOME;
  if (!home) throw new Error('ABLATE_E2E_HOME is unset: run this spec through playwright.config.ts');
  const token = readFileSync(path.join(home, 'worker-token'), 'utf8').trim();
  const sweep = await api.createSweep({
    name: `e2e trial pages ${Date.now()}`,
    template: 'mnist-cnn',
    parameters: { dropout: { values: [0, 0.3, 0.5, 0.7] }, epochs: { value: 4 }, trainSize: { value: 256 } },
    metric: { name: 'val_acc', goal: 'maximize' },
    resources: { gpus: 1 },
  });
  const pool = new ApiClient({ baseUrl: API_URL, token });
  const reg = await pool.registerWorker({ host: FAKE_HOST, slots: 2, backends: ['tensorflow'], gpus: [{ index: 0, name: 'NVIDIA H100 80GB', memoryTotalMb: 81_920 }], trialsPerGpu: 2, commands: false });
  const worker = new ApiClient({ baseUrl: API_URL, token, worker: reg });
  const workerId = reg.workerId;
  const lease = async (): Promise<LeasedTrial> => {
    const { trial } = await worker.leaseTrial(workerId, { freeGpus: 1, freeSlots: 1 });
    if (!trial || trial.sweepId !== sweep.id) throw new Error(`the fake GPU worker leased ${trial ? `a trial of sweep ${trial.sweepId}` : 'nothing'}`);
    return trial;
  };
  const train = async (trial: LeasedTrial, curve: { acc: number[]; valAcc: number[] }) => {
    for (let i = 0; i < curve.acc.length; i++) {
      const acc = curve.acc[i] ?? 0;
      const valAcc = curve.valAcc[i] ?? 0;
      await worker.report(trial.id, { type: 'epoch', workerId, step: i + 1, metrics: { loss: 2 - 2 * acc, acc, val_loss: 2.2 - 2 * valAcc, val_acc: valAcc } });
    }
    const last = curve.valAcc.length;
    await worker.report(trial.id, { type: 'completed', workerId, step: last, metrics: { test_acc: (curve.valAcc[last - 1] ?? 0) - 0.02 } });
  };
  const at = () => new Date().toISOString();

  const completed = await lease();
  await worker.heartbeat(workerId, { trialIds: [completed.id], telemetry: telemetry([completed.id]) });
  await worker.sendTrialLogs(completed.id, { workerId, attempt: 1, lines: [{ seq: 0, stream: 'agent', line: 'started on GPU 0', at: at() }] });
  await worker.putCheckpoint(completed.id, 3, checkpointArchive());
  await train(completed, { acc: [0.55, 0.72, 0.81, 0.86], valAcc: [0.6, 0.74, 0.79, 0.77] });
  const other = await lease();
  await train(other, { acc: [0.5, 0.66, 0.75, 0.8], valAcc: [0.52, 0.65, 0.71, 0.74] });

  const failed = await lease();
  await worker.sendTrialLogs(failed.id, {
    workerId,
    attempt: 1,
    lines: [
      { seq: 0, stream: 'agent', line: 'started on GPU 0', at: at() },
      { seq: 1, stream: 'stdout', line: 'loading data/images', at: at() },
      { seq: 2, stream: 'stderr', line: 'FileNotFoundError: data/images/train is missing', at: at() },
    ],
  });
  await worker.report(failed.id, { type: 'failed', workerId, error: 'The image folder data/images/train does not exist: check the dataDir param.', retryable: false, code: 'dataset_missing' });
  const running = await lease();
  await worker.report(running.id, { type: 'epoch', workerId, step: 1, metrics: { loss: 1.2, acc: 0.45, val_loss: 1.3, val_acc: 0.5 } });
  await worker.heartbeat(workerId, { trialIds: [running.id], telemetry: telemetry([running.id]) });
  let seq = 0;
  const log = async (line: string) => {
    await worker.sendTrialLogs(running.id, { workerId, attempt: 1, lines: [{ seq: seq++, stream: 'stdout', line, at: at() }] });
  };
  await log('epoch 1/4 done');
  const epoch = async (step: number) => {
    await worker.report(running.id, { type: 'epoch', workerId, step, metrics: { loss: 1.2 - 0.2 * step, acc: 0.45 + 0.05 * step, val_loss: 1.3 - 0.2 * step, val_acc: 0.5 + 0.05 * step } });
  };
  return { completed, other, failed, running, log, epoch };
}

async function screenshot(page: Page, file: string, outputPath: (name: string) => string) {
  const target = outputPath(file);
  await page.screenshot({ path: target, fullPage: true });
  if (!SCREENS) return;
  mkdirSync(SCREENS, { recursive: true });
  copyFileSync(target, path.join(SCREENS, file));
}

test.describe.configure({ mode: 'serial' });

let seeded: Seeded;
test.beforeAll(async () => {
  seeded = await seed();
});

test('a failed trial shows its error code, message and log tail first', async ({ page }, testInfo) => {
  await page.goto(`/trials/${seeded.failed.id}`);
  const error = page.getByTestId('trial-error');
  await expect(error).toBeVisible();
  await expect(page.getByTestId('trial-error-code')).toHaveText('dataset_missing');
  await expect(page.getByTestId('trial-error-message')).toContainText('data/images/train does not exist');
  await expect(error.getByTestId('error-log-tail')).toContainText('FileNotFoundError: data/images/train is missing');
  await expect(page.getByTestId('trial-runs')).toContainText(FAKE_HOST);
  await expect(page.getByTestId('trial-runs')).toContainText('failed');
  await screenshot(page, 'trial-failed.png', (f) => testInfo.outputPath(f));
});

test("a completed trial's curves have axes with tick values, train and validation together, and test_acc as a value", async ({ page }, testInfo) => {
  await page.goto(`/trials/${seeded.completed.id}`);
  const acc = page.getByTestId('curve-acc');
  await expect(acc.locator('canvas')).toBeVisible();
  // uPlot's legend names both series of the one chart.
  await expect(acc).toContainText('val_acc');
  const ticks = acc.getByTestId('chart-ticks');
  await expect(ticks).toHaveAttribute('data-x-ticks', /\d/);
  await expect(ticks).toHaveAttribute('data-y-ticks', /0\.\d/);
  await expect(page.getByTestId('curve-loss')).toBeVisible();
  await expect(page.getByTestId('value-test_acc')).toContainText('0.75');
  await expect(page.getByTestId('single-values')).toContainText('@ epoch 3');
  await expect(acc).toContainText('best epoch 3');
  await expect(page.getByTestId('trial-params')).toContainText('dropout');
  await expect(page.getByTestId('checkpoint-link')).toHaveAttribute('href', new RegExp(`/api/trials/${seeded.completed.id}/checkpoint/download$`));
  await screenshot(page, 'trial.png', (f) => testInfo.outputPath(f));
  // The model export (another part's route) may not be there, or may refuse this fake checkpoint: either way the page says so.
  const refused = page.getByTestId('model-download-error');
  const downloaded = page.waitForEvent('download', { timeout: 20_000 }).then(() => true);
  await page.getByTestId('model-download').click();
  const outcome = await Promise.race([downloaded, refused.waitFor({ timeout: 20_000 }).then(() => false)]);
  if (!outcome) await expect(refused).toContainText('Cannot download the model');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(acc.locator('canvas')).toBeVisible();
  await screenshot(page, 'trial-dark.png', (f) => testInfo.outputPath(f));
});

test('a running trial shows its log lines and epochs as they arrive', async ({ page }, testInfo) => {
  // Every curve request the page makes; a new epoch must ask only for the points after the last one shown.
  const metricsRequests: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === `/api/trials/${seeded.running.id}/metrics`) metricsRequests.push(url);
  });
  await page.goto(`/trials/${seeded.running.id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('log-tail')).toContainText('epoch 1/4 done');
  await seeded.log('epoch 2/4: loss 0.91');
  await expect(page.getByTestId('log-tail')).toContainText('epoch 2/4: loss 0.91');
  const ticks = page.getByTestId('curve-acc').getByTestId('chart-ticks');
  await expect(ticks).toHaveAttribute('data-x-ticks', /1/);
  // A pushed trial:updated with a new step fetches the later points: epoch 3 appears on the x axis.
  await seeded.epoch(2);
  await seeded.epoch(3);
  await expect(ticks).toHaveAttribute('data-x-ticks', /3/);
  await expect(page.getByTestId('single-values')).toContainText('@ epoch 3');
  // They came through afterStep (from a step already shown); every point was fetched once, on connect.
  const sent = metricsRequests.map(String).join('\n');
  const later = metricsRequests.filter((url) => url.searchParams.has('afterStep')).map((url) => Number(url.searchParams.get('afterStep')));
  expect(later.length, sent).toBeGreaterThan(0);
  for (const afterStep of later) expect([1, 2], sent).toContain(afterStep);
  expect(metricsRequests.length - later.length, sent).toBe(1);
  await screenshot(page, 'trial-running.png', (f) => testInfo.outputPath(f));
});

test("the sweep page's curves of a running trial grow by the points after the last one shown", async ({ page }) => {
  // The side panel reads through a server action; its arguments travel in the POST body.
  const actionBodies: string[] = [];
  page.on('request', (request) => {
    const body = request.method() === 'POST' && request.headers()['next-action'] ? request.postData() : null;
    if (body?.includes(seeded.running.id)) actionBodies.push(body);
  });
  await page.goto(`/sweeps/${seeded.running.sweepId}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await page.locator(`[data-testid="trial-row"][data-trial-id="${seeded.running.id}"]`).click();
  const ticks = page.getByTestId('learning-curves').getByTestId('curve-acc').getByTestId('chart-ticks');
  await expect(ticks).toHaveAttribute('data-x-ticks', '1, 2, 3');
  await seeded.epoch(4);
  await expect(ticks).toHaveAttribute('data-x-ticks', '1, 2, 3, 4');
  // Opened with every point, then only those after epoch 3.
  expect(actionBodies.some((body) => body.includes(`"${seeded.running.id}",3]`)), actionBodies.join('\n')).toBe(true);
});

test('comparing two trials highlights the params that differ and overlays their curves', async ({ page }, testInfo) => {
  await page.goto(compareHref([seeded.completed.id, seeded.other.id]));
  await expect(page.getByTestId('param-dropout')).toHaveAttribute('data-differs', 'true');
  await expect(page.getByTestId('param-epochs')).toHaveAttribute('data-differs', 'false');
  const valAcc = page.getByTestId('compare-curve-val_acc');
  await expect(valAcc.locator('canvas')).toBeVisible();
  await expect(valAcc.getByTestId('chart-ticks')).toHaveAttribute('data-y-ticks', /\d/);
  await expect(page.getByTestId('compare-summary')).toContainText('test_acc');
  await screenshot(page, 'compare.png', (f) => testInfo.outputPath(f));
});

test('the workers page lists the local worker with its slots and the GPU node with its gauges', async ({ page }, testInfo) => {
  await page.goto('/workers');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  const gpuNode = page.getByTestId('worker-card').filter({ hasText: FAKE_HOST });
  await expect(gpuNode).toContainText('GPU 0 NVIDIA H100 80GB');
  await expect(gpuNode.getByRole('meter', { name: 'GPU 0 memory' })).toHaveAttribute('aria-valuenow', '37');
  const local = page.getByTestId('worker-card').filter({ hasNotText: FAKE_HOST }).first();
  await expect(local).toBeVisible();
  await expect(local.getByTestId('worker-slot').first()).toBeVisible();
  await expect(local.getByTestId('worker-state')).toHaveText('live');
  // `ablate up`'s own worker runs command trials; the fake node registered without them.
  await expect(local.getByTestId('worker-commands')).toHaveText('commands');
  await expect(gpuNode.getByTestId('worker-commands')).toHaveText('no commands');
  await expect(gpuNode.getByRole('link', { name: `trial ${seeded.running.id.slice(0, 8)}` })).toHaveAttribute('href', `/trials/${seeded.running.id}`);
  // The real agent says its release; the node registered through the API without one is shown as older.
  const agentRelease = (JSON.parse(readFileSync(new URL('../../worker/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  await expect(page.getByTestId('worker-version').filter({ hasText: `agent ${agentRelease}` }).first()).toBeVisible();
  await expect(gpuNode.getByTestId('worker-version')).toHaveText('agent release unknown (older agent)');
  await screenshot(page, 'workers.png', (f) => testInfo.outputPath(f));
});
