import { expect, test, type Page } from '@playwright/test';

/** The course's grid, made small: dropout {0, 0.5} × batchNorm {false, true}, 2 epochs. */
async function fillSmallGrid(page: Page, name: string) {
  const form = page.getByRole('form', { name: 'New sweep' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Template', { exact: true }).selectOption('mnist-cnn');
  await form.getByLabel('dropout', { exact: true }).fill('0, 0.5');
  await expect(form.getByLabel('batchNorm true', { exact: true })).toBeChecked();
  await form.getByLabel('epochs', { exact: true }).fill('2');
  await form.getByLabel('trainSize', { exact: true }).fill('256');
  await form.getByLabel('validationSize', { exact: true }).fill('128');
  // val_loss, not val_acc: accuracies on 128 digits tie easily, and tied trials share a rank.
  await form.getByLabel('Rank by metric', { exact: true }).selectOption('val_loss');
  await expect(form.getByLabel('Goal', { exact: true })).toHaveValue('minimize');
  await expect(form.getByText('4 trials', { exact: true })).toBeVisible();
  return form;
}

test('launches a 2×2 sweep from the form and ranks its trials live', async ({ page }, testInfo) => {
  // Hydration mismatches and failed requests show up here.
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  await page.goto('/sweeps/new');
  const form = await fillSmallGrid(page, `e2e dropout × batch norm ${Date.now()}`);
  await form.getByRole('button', { name: 'Launch sweep' }).click();

  await page.waitForURL(/\/sweeps\/[^/]+$/);
  const rows = page.getByTestId('trial-row');
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

  // Filled by socket events only: the page is never reloaded.
  await expect(page.locator('[data-testid="trial-row"][data-status="completed"]')).toHaveCount(4, { timeout: 240_000 });
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'completed');

  // A pushed result updates its row (its score) at once and the order re-reads the scheduler's
  // leaderboard REFETCH_DELAY_MS later: the last completion's re-rank may land just after the
  // sweep's status. Settled: ranks 1-4 down the table, scores in the goal's order.
  await expect
    .poll(() =>
      rows.evaluateAll((elements) => {
        const ranks = elements.map((row) => Number(row.getAttribute('data-rank')));
        const scores = elements.map((row) => Number(row.getAttribute('data-score')));
        return ranks.join(',') === '1,2,3,4' && scores.every((score, i) => i === 0 || scores[i - 1]! <= score);
      }),
    )
    .toBe(true);
  const board = await rows.evaluateAll((elements) =>
    elements.map((row) => {
      const cells = (row as HTMLTableRowElement).cells;
      return {
        rank: Number(row.getAttribute('data-rank')),
        score: Number(row.getAttribute('data-score')),
        // The knobs that vary come first, right after the rank.
        knobs: `${cells[1]?.textContent}|${cells[2]?.textContent}`,
      };
    }),
  );
  expect(board.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
  const scores = board.map((r) => r.score);
  expect(scores).toEqual([...scores].sort((a, b) => a - b));
  expect(board.map((r) => r.knobs).sort()).toEqual(['0.5|false', '0.5|true', '0|false', '0|true']);

  // The best trial's learning curves: a chart per metric with its train and validation series
  // (the legend names both), an x axis whose ticks are the 2 epochs, y ticks with values, and the
  // best epoch by val_loss called out.
  await rows.first().click();
  const curves = page.getByTestId('learning-curves');
  await expect(curves.getByTestId('line-chart')).toHaveCount(2);
  const loss = curves.getByTestId('curve-loss');
  await expect(loss.locator('canvas')).toBeVisible();
  await expect(loss).toContainText('loss (train)');
  await expect(loss).toContainText('val_loss (validation)');
  await expect(curves.getByTestId('curve-acc')).toContainText('val_acc (validation)');
  await expect(loss.getByTestId('chart-ticks')).toHaveAttribute('data-x-ticks', '1, 2');
  await expect(loss.getByTestId('chart-ticks')).toHaveAttribute('data-y-ticks', /\d/);
  await expect(loss).toContainText(/best epoch [12] \(val_loss/);

  // The curves as a file: a row per metric point, val_loss at both epochs of every trial.
  const seriesHref = await page.getByTestId('export-csv-series').getAttribute('href');
  const [header, ...points] = (await (await page.request.get(seriesHref!)).text()).trimEnd().split('\r\n');
  expect(header).toBe('trial_id,index,step,metric,value');
  const trialIds = await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-trial-id')));
  const valLoss = points.map((line) => line.split(',')).filter((cells) => cells[3] === 'val_loss');
  expect(valLoss.map((cells) => `${cells[0]}@${cells[2]}`).sort()).toEqual(trialIds.flatMap((id) => [`${id}@1`, `${id}@2`]).sort());
  expect(consoleErrors).toEqual([]);

  const screenshot = testInfo.outputPath('leaderboard.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('leaderboard', { path: screenshot, contentType: 'image/png' });
});

test('shows the validation message next to the field that is wrong', async ({ page }, testInfo) => {
  await page.goto('/sweeps/new');
  const form = await fillSmallGrid(page, 'e2e invalid dropout');
  const dropout = form.getByLabel('dropout', { exact: true });
  await dropout.fill('0, 1.5');
  await form.getByRole('button', { name: 'Launch sweep' }).click();

  const message = form.getByTestId('error-parameters.dropout');
  await expect(message).toBeVisible();
  await expect(message).toContainText('1.5');
  await expect(dropout).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/sweeps\/new$/);
  await page.screenshot({ path: testInfo.outputPath('validation.png'), fullPage: true });
});

// A real 404 status: the route has no loading.tsx, whose streaming would commit a 200 first.
test('answers an unknown sweep with a 404 page', async ({ page }) => {
  const response = await page.goto('/sweeps/00000000-0000-4000-8000-000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('launches with the plain defaults, then cancels from the leaderboard', async ({ page }) => {
  await page.goto('/sweeps/new');
  // No edits: the form opens on the course's 2×2 grid.
  await page.getByRole('button', { name: 'Launch sweep' }).click();
  await page.waitForURL(/\/sweeps\/[^/]+$/);
  await expect(page.getByTestId('trial-row')).toHaveCount(4);
  await expect(page.getByTestId('sweep-name')).toHaveText('Dropout × batch norm');

  page.once('dialog', (dialog) => void dialog.accept());
  const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
  await cancel.click();
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.locator('[data-testid="trial-row"][data-status="queued"]')).toHaveCount(0);
  await expect(cancel).toBeDisabled();
});
