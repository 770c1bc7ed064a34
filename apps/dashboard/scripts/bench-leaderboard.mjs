// Leaderboard under load: `npm run bench:leaderboard -w @ablate/dashboard` (after `next build`).
//
// Measures the dashboard alone: a stub scheduler (plain HTTP + socket.io speaking the contracts)
// serves a sweep of TRIALS trials (the top 200 with the page, leaderboard pages ranked with the
// contracts' rankTrials) and then pushes EVENTS `trial:updated` events as fast as it can; `next
// start` renders against it and Debian's Chromium (via Playwright) measures load time, frames,
// long tasks, DOM rows, leaderboard pages fetched and how long the ranking takes to settle.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBSCRIBE_TOP_TRIALS, rankTrials } from '@ablate/contracts';
import { chromium } from '@playwright/test';
import { Server } from 'socket.io';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const API_PORT = Number(process.env.BENCH_API_PORT ?? 4170);
const WEB_PORT = Number(process.env.BENCH_WEB_PORT ?? 3170);
const SWEEP_ID = '11111111-1111-4111-8111-111111111111';
const dashboardDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const now = new Date().toISOString();
const trials = Array.from({ length: TRIALS }, (_, index) => ({
  id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
  sweepId: SWEEP_ID,
  index,
  params: { dropout: (index % 10) / 10, batchNorm: index % 2 === 0, seed: index, epochs: 3, batchSize: 64, trainSize: 2000, learningRate: 0.001, validationSize: 500 },
  status: 'queued',
  attempt: 1,
  step: null,
  metrics: {},
  score: null,
  backend: null,
  error: null,
  statusReason: null,
  createdAt: now,
  startedAt: null,
  finishedAt: null,
}));
const counts = { queued: TRIALS, leased: 0, running: 0, paused: 0, completed: 0, pruned: 0, failed: 0, cancelled: 0 };
const summary = { id: SWEEP_ID, name: 'bench', project: 'bench', template: 'mnist-cnn', status: 'running', metric: { name: 'val_acc', goal: 'maximize' }, counts, total: TRIALS, createdAt: now, finishedAt: null };
const spec = { name: 'bench', project: 'bench', template: 'mnist-cnn', method: 'grid', parameters: { seed: { values: trials.map((t) => t.index) } }, metric: summary.metric, maxRetries: 2 };
const ranked = () => rankTrials(trials, 'maximize');
const detail = (top) => ({ sweep: { ...summary, spec }, trials: ranked().slice(0, top) });
let pagesServed = 0;

/** The routes the sweep page uses: the top trials, leaderboard pages (rank order only), events. */
function route(url) {
  if (url.pathname === `/api/sweeps/${SWEEP_ID}`) return detail(Number(url.searchParams.get('top') ?? TRIALS));
  if (url.pathname === `/api/sweeps/${SWEEP_ID}/events`) return { events: [] };
  if (url.pathname === '/api/sweeps') return { sweeps: [summary] };
  if (url.pathname !== `/api/sweeps/${SWEEP_ID}/leaderboard`) return null;
  pagesServed++;
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 100);
  return { total: TRIALS, offset, trials: ranked().slice(offset, offset + limit), configurations: [] };
}

const http = createServer((req, res) => {
  const body = route(new URL(req.url ?? '/', 'http://stub'));
  // The page fetches leaderboard pages from the browser, as it does from the real scheduler.
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify(body ?? { code: 'route_not_found', message: 'no such route' }));
});
const io = new Server(http, { cors: { origin: '*' }, maxHttpBufferSize: 1e8 });
let subscribed;
const subscribedOnce = new Promise((resolve) => (subscribed = resolve));
io.of('/live').on('connection', (socket) => {
  socket.on('sweep:subscribe', (id, ack) => {
    void socket.join(id);
    ack({ ok: true, data: detail(SUBSCRIBE_TOP_TRIALS) });
    subscribed();
  });
});
await new Promise((resolve) => http.listen(API_PORT, '127.0.0.1', resolve));

/** Every event: one trial moves on an epoch with a random score; the best is known in advance. */
function flood() {
  let best = { id: '', score: -1 };
  for (let i = 0; i < EVENTS; i++) {
    const trial = trials[Math.floor(Math.random() * TRIALS)];
    const score = Math.round(Math.random() * 1e6) / 1e6;
    Object.assign(trial, { status: 'running', step: (trial.step ?? 0) + 1, metrics: { loss: 1 - score, acc: score, val_loss: 1 - score, val_acc: score }, score: Math.max(trial.score ?? 0, score) });
    if (trial.score > best.score || (trial.score === best.score && trial.index < Number(best.id.slice(-12)))) best = { id: trial.id, score: trial.score };
    io.of('/live').to(SWEEP_ID).emit('trial:updated', { ...trial });
  }
  return best;
}

const next = spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.resolve('next/package.json'))), 'dist/bin/next'), 'start', '-p', String(WEB_PORT), '-H', '127.0.0.1'], {
  cwd: dashboardDir,
  env: { ...process.env, ABLATE_API_URL: `http://127.0.0.1:${API_PORT}`, NODE_ENV: 'production' },
  stdio: process.env.BENCH_VERBOSE ? 'inherit' : 'ignore',
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  await waitFor(`http://127.0.0.1:${WEB_PORT}/`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const started = Date.now();
  const response = await page.goto(`http://127.0.0.1:${WEB_PORT}/sweeps/${SWEEP_ID}`);
  const htmlBytes = (await response.body()).length;
  await page.getByTestId('trial-row').first().waitFor({ timeout: 60_000 }).catch(async (error) => {
    console.error((await page.locator('main').innerText()).slice(0, 2000));
    throw error;
  });
  const firstRowsMs = Date.now() - started;
  await subscribedOnce;
  await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor();
  await page.evaluate(() => {
    const w = window;
    w.__bench = { frames: 0, longTasks: [], running: true };
    new PerformanceObserver((list) => w.__bench.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: false });
    const tick = () => { w.__bench.frames++; if (w.__bench.running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const floodStart = Date.now();
  const pagesBefore = pagesServed;
  const best = flood();
  await page.locator(`[data-testid="trial-row"][data-rank="1"][data-trial-id="${best.id}"]`).waitFor({ timeout: 120_000 });
  const settleMs = Date.now() - floodStart;
  const stats = await page.evaluate(() => { window.__bench.running = false; return window.__bench; });
  const domRows = await page.getByTestId('trial-row').count();
  const scrolled = Date.now();
  await page.locator('[data-testid="leaderboard"]').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="trial-row"]').length > 0 && !document.querySelector('[data-testid="row-loading"]'));
  const midMs = Date.now() - scrolled;
  const midRank = await page.getByTestId('trial-row').first().getAttribute('data-rank');

  const total = stats.longTasks.reduce((a, b) => a + b, 0);
  console.log(`trials                      ${TRIALS}`);
  console.log(`events pushed               ${EVENTS}`);
  console.log(`page HTML (with RSC data)   ${(htmlBytes / 1024).toFixed(0)} KiB`);
  console.log(`first rows visible          ${firstRowsMs} ms after navigation`);
  console.log(`ranking settled             ${settleMs} ms after the first event (${Math.round(EVENTS / (settleMs / 1000))} events/s)`);
  console.log(`frames during the flood     ${stats.frames} (${(stats.frames / (settleMs / 1000)).toFixed(1)} fps)`);
  console.log(`long tasks (>50 ms)         ${stats.longTasks.length}, ${total.toFixed(0)} ms in all, longest ${Math.max(0, ...stats.longTasks).toFixed(0)} ms`);
  console.log(`trial rows in the DOM       ${domRows} of ${TRIALS}`);
  console.log(`leaderboard pages fetched   ${pagesServed - pagesBefore} during the flood (re-ranked by the server, throttled)`);
  console.log(`scrolled to the middle      rows of rank ${midRank}+ shown ${midMs} ms later (their page fetched)`);
} finally {
  await browser.close();
  next.kill('SIGTERM');
  io.close();
  http.close();
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}
