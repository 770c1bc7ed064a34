import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { CpuWindow } from './cpu-window.js';
import { classificationMetrics, gridSpec, percentile, type BenchContext, type Figure } from './figure.js';
import { runWorkers, startWorkers, type TrialPlan } from './sim-worker.js';
import { WorkerTally } from './worker-tally.js';

export interface PushLatencyOptions {
  /** Workers reporting at once; with `rate` per worker, the offered load. */
  workers: number;
  /** Epoch reports per second per worker. */
  rate: number;
  /** Epochs per trial (then `completed`; leases and status changes go on throughout). */
  epochs: number;
  seconds: number;
  /** Spread of each epoch's length, ± this fraction (`TrialPlan.jitter`). */
  jitter: number;
}

/**
 * Figure 3, report → push: workers report epochs at `workers × rate` per second while a dashboard
 * socket subscribed to the sweep times each report from the moment it left the worker to the
 * `trial:updated` push that carries its step. Sender and receiver share this process's clock.
 */
export async function pushLatencyFigure(ctx: BenchContext, o: PushLatencyOptions): Promise<Figure> {
  const { url, token } = ctx.scheduler;
  const trials = Math.ceil((o.workers * o.rate * (o.seconds + 5)) / o.epochs) + o.workers;
  const sweep = await ctx.user.createSweep(gridSpec('bench: report to push', trials));
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
  });
  await new Promise<void>((resolve, reject) =>
    socket.emit('sweep:subscribe', sweep.id, (r) => (r.ok ? resolve() : reject(new Error(r.error.message)))),
  );
  const sent = new Map<string, number>();
  const delays: number[] = [];
  socket.on('trial:updated', (t) => {
    const key = `${t.id}:${t.step}`;
    const at = sent.get(key);
    if (at === undefined) return;
    delays.push(performance.now() - at);
    sent.delete(key); // a `completed` report repeats the last step: its push is timed from its own send
  });
  const workers = await startWorkers(url, token, o.workers, 'push');
  const tally = new WorkerTally();
  let open = true;
  const plan: TrialPlan = {
    epochs: o.epochs,
    epochMs: 1000 / o.rate,
    jitter: o.jitter,
    metrics: (t, step) => classificationMetrics(t.params, step),
    onSend: (trialId, step, at) => {
      if (!sent.has(`${trialId}:${step}`)) sent.set(`${trialId}:${step}`, at);
    },
    cut: () => !open,
  };
  const cpu = await CpuWindow.begin(ctx.scheduler);
  const t0 = performance.now();
  const window = setTimeout(() => (open = false), o.seconds * 1000);
  await runWorkers(workers, plan, tally, () => open, { staggerMs: plan.epochMs });
  clearTimeout(window);
  const wall = (performance.now() - t0) / 1000;
  const cpuUse = await cpu.end();
  const cpuLine = cpuUse.line;
  await new Promise((r) => setTimeout(r, 500)); // the last pushes
  socket.close();
  for (const w of workers) w.close();
  await ctx.user.cancelSweep(sweep.id); // later figures lease from their own sweeps
  delays.sort((a, b) => a - b);
  const p95 = percentile(delays, 0.95);
  const rate = tally.reports / wall;
  return {
    name: `report → pushed to a subscribed socket client, p95 at ${o.workers * o.rate} reports/s`,
    measured: `${p95.toFixed(1)} ms (p50 ${percentile(delays, 0.5).toFixed(1)}, p99 ${percentile(delays, 0.99).toFixed(1)}) at ${rate.toFixed(0)} reports/s`,
    anchor: 'optuna-dashboard polls every 10 s',
    goal: '≤ 50 ms',
    met: p95 <= 50 && rate >= 0.95 * o.workers * o.rate,
    details: [
      `${o.workers} workers × ${o.rate} epoch reports/s (epochs of ${1000 / o.rate} ms ± ${o.jitter * 100} %) for ${o.seconds} s, trials of ${o.epochs} epochs then completed; ${delays.length} pushes timed of ${tally.reports} reports accepted; max ${(delays.at(-1) ?? NaN).toFixed(1)} ms; refused or failed: ${tally.describeErrors()}`,
      `report round trips (mean ms): ${tally.describeRoundTrips()}; ${cpuLine}`,
    ],
  };
}
