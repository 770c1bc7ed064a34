/**
 * `npm run bench:leaderboard`: how the scheduler holds up with a 10,000-trial sweep, against a
 * 100-trial one, in the same run: creating the sweep, reading the ranked leaderboard (all of it,
 * and one page of the server-side leaderboard at the top and in the middle), leasing, applying
 * reports, the delay from a report to the socket.io push a dashboard receives, subscribing (the
 * ack carries the top 200), and cancelling the sweep.
 */
import {
  ApiClient,
  LIVE_NAMESPACE,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { startTestPostgres, startTestScheduler, type TestScheduler } from '../src/testing/index.js';

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

async function measure(s: TestScheduler, trials: number): Promise<Record<string, number>> {
  const [sweep, createMs] = await time(() =>
    s.user.createSweep({
      name: `bench ${trials}`,
      template: 'mnist-cnn',
      parameters: { seed: { values: Array.from({ length: trials }, (_, i) => i) } },
      metric: { name: 'val_acc', goal: 'maximize' },
    }),
  );
  const workers = await Promise.all(
    [1, 2, 3, 4].map(async (i) => {
      const reg = await s.worker.registerWorker({ host: `bench-${i}`, slots: 1, backends: [] });
      return {
        workerId: reg.workerId,
        api: new ApiClient({ baseUrl: s.url, token: s.config.workerToken, worker: reg }),
      };
    }),
  );
  const leases = Math.min(trials, 400);
  const held: { trialId: string; workerId: string; api: ApiClient }[] = [];
  const [, leaseMs] = await time(() =>
    Promise.all(
      workers.map(async ({ workerId, api }) => {
        while (held.length < leases) {
          const { trial } = await api.leaseTrial(workerId);
          if (!trial) return;
          held.push({ trialId: trial.id, workerId, api });
        }
      }),
    ),
  );
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${s.url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
  });
  const [, subscribeMs] = await time(() => new Promise<void>((resolve) => socket.emit('sweep:subscribe', sweep.id, () => resolve())));
  const sent = new Map<string, number>();
  const delays: number[] = [];
  socket.on('trial:updated', (t) => {
    const at = sent.get(`${t.id}:${t.step}`);
    if (at !== undefined) delays.push(performance.now() - at);
  });
  const [, reportMs] = await time(async () => {
    for (const [i, h] of held.entries()) {
      sent.set(`${h.trialId}:1`, performance.now());
      await h.api.report(h.trialId, {
        type: 'epoch',
        workerId: h.workerId,
        step: 1,
        metrics: { val_acc: ((i * 7919) % 1000) / 1000 },
      });
    }
  });
  await new Promise((r) => setTimeout(r, 200));
  socket.close();
  const reads = 10;
  const [, readMs] = await time(async () => {
    for (let i = 0; i < reads; i++) await s.user.getSweep(sweep.id);
  });
  const [, topPageMs] = await time(async () => {
    for (let i = 0; i < reads; i++) await s.user.getLeaderboard(sweep.id, { limit: 100 });
  });
  // The middle of the table: past the 400 scored trials, into the unscored ones by index.
  const [, middlePageMs] = await time(async () => {
    for (let i = 0; i < reads; i++) await s.user.getLeaderboard(sweep.id, { offset: Math.floor(trials / 2), limit: 100 });
  });
  const [, cancelMs] = await time(() => s.user.cancelSweep(sweep.id));
  delays.sort((a, b) => a - b);
  return {
    'create sweep (ms)': createMs,
    'GET ranked leaderboard (ms)': readMs / reads,
    'GET leaderboard top page (ms)': topPageMs / reads,
    'GET leaderboard middle page (ms)': middlePageMs / reads,
    'connect + subscribe ack (ms)': subscribeMs,
    'leases/s (4 workers)': (held.length / leaseMs) * 1000,
    'epoch reports/s': (held.length / reportMs) * 1000,
    'report→push p50 (ms)': delays[Math.floor(delays.length / 2)] ?? NaN,
    'report→push p95 (ms)': delays[Math.floor(delays.length * 0.95)] ?? NaN,
    'cancel sweep (ms)': cancelMs,
  };
}

const pg = await startTestPostgres();
try {
  const small = await startTestScheduler(pg.adminUrl);
  const a = await measure(small, 100);
  await small.close();
  const large = await startTestScheduler(pg.adminUrl);
  const b = await measure(large, 10_000);
  await large.close();
  console.log('\nmetric                              100 trials   10,000 trials   ratio');
  for (const key of Object.keys(a)) {
    const x = a[key]!;
    const y = b[key]!;
    console.log(
      `${key.padEnd(34)} ${x.toFixed(1).padStart(10)}   ${y.toFixed(1).padStart(13)}   ${(y / x).toFixed(2).padStart(5)}`,
    );
  }
} finally {
  await pg.stop();
}
