import { expect, test, type Page } from '@playwright/test';
import { api } from './scheduler-api';

/** A sweep that stays busy on the one local worker: 6 small trials of 3 epochs. */
async function seedLongSweep(name: string): Promise<string> {
  const sweep = await api.createSweep({
    name,
    template: 'mnist-cnn',
    parameters: { dropout: { values: [0, 0.1, 0.2, 0.3, 0.4, 0.5] }, epochs: { value: 3 }, trainSize: { value: 256 }, validationSize: { value: 128 } },
    metric: { name: 'val_loss', goal: 'minimize' },
  });
  return sweep.id;
}

/** The newest event in the activity list must be `action`, done by the dashboard. */
async function expectLatestEvent(page: Page, action: string) {
  const latest = page.getByTestId('sweep-event').first();
  await expect(latest).toHaveAttribute('data-action', action);
  await expect(latest).toContainText('dashboard');
}

test('pause, resume, cancel one trial and cancel the sweep from the buttons; the activity list follows live', async ({ page }, testInfo) => {
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  const sweepId = await seedLongSweep(`e2e steering ${Date.now()}`);
  await page.goto(`/sweeps/${sweepId}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('sweep-event').first()).toHaveAttribute('data-action', 'created');
  const status = page.getByTestId('sweep-status');
  const button = (name: string) => page.getByRole('group', { name: 'Steer the sweep' }).getByRole('button', { name, exact: true });
  await expect(button('Resume')).toBeDisabled();

  const budget = page.getByRole('form', { name: 'Raise max trials' });
  await expect(budget).toContainText('6 now');
  await budget.getByRole('spinbutton').fill('20');
  await budget.getByRole('button', { name: 'Raise' }).click();
  await expectLatestEvent(page, 'max_trials_raised');
  await expect(page.getByTestId('sweep-event').first()).toContainText('raised max trials from 6 to 20');
  await expect(budget).toContainText('20 now');
  await page.screenshot({ path: testInfo.outputPath('running.png'), fullPage: true });

  await button('Pause').click();
  await expect(status).toHaveAttribute('data-status', 'paused');
  await expect(status).not.toHaveAttribute('data-optimistic');
  await expectLatestEvent(page, 'paused');
  await expect(button('Pause')).toBeDisabled();
  await expect(button('Resume')).toBeEnabled();

  await button('Resume').click();
  await expect(status).not.toHaveAttribute('data-status', 'paused');
  await expectLatestEvent(page, 'resumed');

  // One queued trial, from its detail panel.
  const last = page.locator('[data-testid="trial-row"][data-status="queued"]').last();
  const trialId = await last.getAttribute('data-trial-id');
  await last.click();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('learning-curves').getByRole('button', { name: 'Cancel trial' }).click();
  await expect(page.locator(`[data-testid="trial-row"][data-trial-id="${trialId}"]`)).toHaveAttribute('data-status', 'cancelled');
  await expectLatestEvent(page, 'trial_cancelled');
  await expect(page.getByTestId('learning-curves').getByRole('button', { name: 'Cancel trial' })).toHaveCount(0);

  page.once('dialog', (dialog) => void dialog.accept());
  await button('Cancel').click();
  await expect(status).toHaveAttribute('data-status', 'cancelled');
  await expectLatestEvent(page, 'cancelled');
  for (const name of ['Pause', 'Resume', 'Stop', 'Cancel']) await expect(button(name)).toBeDisabled();
  await expect(page.getByRole('form', { name: 'Raise max trials' })).toHaveCount(0);
  // Newest first, every action recorded once.
  const actions = await page.getByTestId('sweep-event').evaluateAll((items) => items.map((i) => i.getAttribute('data-action')));
  expect(actions.slice(0, 5)).toEqual(['cancelled', 'trial_cancelled', 'resumed', 'paused', 'max_trials_raised']);
  expect(actions).toContain('created');
  expect(consoleErrors).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('steering.png'), fullPage: true });
});

test('a refused action shows the scheduler\'s reason and puts the status back', async ({ page }) => {
  // Hold back the scheduler's pushes, so the page still believes the sweep runs after it was cancelled.
  let frozen = false;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (!frozen) ws.send(message);
    });
  });
  const sweepId = await seedLongSweep(`e2e refused ${Date.now()}`);
  await page.goto(`/sweeps/${sweepId}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  const status = page.getByTestId('sweep-status');
  frozen = true;
  // A push forwarded just before the freeze (the local worker leasing the first trial) may still be
  // on its way into the page; let it land so `before` is what the page will keep showing.
  await page.waitForTimeout(500);
  const before = await status.getAttribute('data-status');
  await api.cancelSweep(sweepId);
  await page.getByRole('group', { name: 'Steer the sweep' }).getByRole('button', { name: 'Pause', exact: true }).click();
  const error = page.getByTestId('steer-error');
  await expect(error).toContainText('cancelled');
  await expect(error).toContainText('can no longer be');
  await expect(status).toHaveAttribute('data-status', before!);
  await expect(status).not.toHaveAttribute('data-optimistic');
});

test('a sweep with repeats shows one row per configuration with mean ± std over its seeds, the runs one click away', async ({ page }, testInfo) => {
  const sweep = await api.createSweep({
    name: `e2e repeats ${Date.now()}`,
    template: 'mnist-cnn',
    repeats: 2,
    parameters: { dropout: { values: [0, 0.5] }, epochs: { value: 1 }, trainSize: { value: 128 }, validationSize: { value: 64 } },
    metric: { name: 'val_loss', goal: 'minimize' },
  });
  await page.goto(`/sweeps/${sweep.id}`);
  await expect(page.getByLabel('Group repeats (mean over seeds)')).toBeChecked();
  const rows = page.getByTestId('config-row');
  await expect(rows).toHaveCount(2);
  // Trained for real by the local worker, then ranked by the mean over the two seeds.
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'completed', { timeout: 240_000 });
  await expect(page.locator('[data-testid="config-row"][data-n="2"]')).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-rank', '1');
  await expect(rows.first().getByTestId('config-mean')).toContainText('±');
  // Ranked by the scheduler: the last result's re-rank may land just after the counts (REFETCH_DELAY_MS).
  const readMeans = () => rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-mean'))));
  await expect.poll(async () => { const m = await readMeans(); return m.every((v, i) => i === 0 || m[i - 1]! <= v); }).toBe(true);
  const means = await readMeans();

  await rows.first().click();
  const runs = page.getByTestId('configuration-runs');
  await expect(runs.getByTestId('run-row')).toHaveCount(2);
  const scores = await runs.getByTestId('run-row').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-score'))));
  expect((scores[0]! + scores[1]!) / 2).toBeCloseTo(means[0]!, 6);
  await runs.getByTestId('run-row').first().click();
  // The run's curves: loss and acc, each with train and validation series, the epochs on the x axis.
  const curves = page.getByTestId('learning-curves');
  await expect(curves.getByTestId('line-chart')).toHaveCount(2);
  await expect(curves.getByTestId('curve-acc')).toContainText('val_acc (validation)');
  await expect(curves.getByTestId('curve-loss').getByTestId('chart-ticks')).toHaveAttribute('data-x-ticks', /1/);
  await page.screenshot({ path: testInfo.outputPath('grouped.png'), fullPage: true });

  // The single runs as a table of trials, seed as a column.
  await page.getByLabel('Group repeats (mean over seeds)').uncheck();
  await expect(page.locator('[data-testid="trial-row"][data-status="completed"]')).toHaveCount(4);
  await expect(page.getByRole('columnheader', { name: 'seed' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ungrouped.png'), fullPage: true });
});
