import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type SweepDetail, type TrialSummary } from '@ablate/contracts';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '../src/worker.js';

describe('a sweep end to end through the real worker', () => {
  let s: TestScheduler;
  let artifacts: string;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-worker-'));
  });
  afterAll(async () => {
    await s.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('trains a 2x2 dropout x batch-norm grid, stores each metric once, ranks it and pushes every change', async () => {
    const sweep = await s.user.createSweep({
      name: 'mnist dropout x bn',
      template: 'mnist-cnn',
      parameters: {
        dropout: { values: [0, 0.5] },
        batchNorm: { values: [false, true] },
        epochs: { value: 2 },
        trainSize: { value: 256 },
        validationSize: { value: 128 },
      },
      metric: { name: 'val_acc', goal: 'maximize' },
    });

    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
    const pushed: TrialSummary[] = [];
    socket.on('trial:updated', (t) => pushed.push(t));
    const done = new Promise<void>((resolve) => socket.on('sweep:updated', (x) => x.status === 'completed' && resolve()));
    const initial = await new Promise<SweepDetail>((resolve, reject) =>
      socket.emit('sweep:subscribe', sweep.id, (res) => (res.ok ? resolve(res.data) : reject(new Error(res.error.message)))),
    );
    expect(initial.trials).toHaveLength(4);

    const logs: string[] = [];
    const worker = new Worker({ apiUrl: s.url, token: TEST_WORKER_TOKEN, artifactsDir: artifacts, pollIntervalMs: 100, host: 'test' }, { log: (l) => logs.push(l) });
    await worker.start();
    await done;
    await worker.stop();
    socket.close();

    const detail = await s.user.getSweep(sweep.id);
    expect(detail.sweep).toMatchObject({ status: 'completed', counts: { completed: 4 } });
    for (const t of detail.trials) {
      expect(t.status, logs.join('\n')).toBe('completed');
      expect(t.backend).toBe(worker.backend);
      const { points } = await s.user.getTrialMetrics(t.id);
      const keys = points.map((p) => `${p.step}:${p.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const name of ['loss', 'acc', 'val_loss', 'val_acc']) {
        expect(points.filter((p) => p.name === name).map((p) => p.step)).toEqual([1, 2]);
      }
      const best = Math.max(...points.filter((p) => p.name === 'val_acc').map((p) => p.value));
      expect(t.score).toBe(best);
    }
    const scores = detail.trials.map((t) => t.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(detail.trials.map((t) => t.rank)).toEqual(detail.trials.map((t, i) => (i > 0 && t.score === scores[i - 1] ? detail.trials[i - 1]!.rank : i + 1)));

    // The live feed carried every trial through running to its final, stored state.
    for (const t of detail.trials) {
      const events = pushed.filter((e) => e.id === t.id);
      expect(events.some((e) => e.status === 'running')).toBe(true);
      expect(events.at(-1)).toMatchObject({ status: 'completed', score: t.score, step: t.step });
    }
  });
});
