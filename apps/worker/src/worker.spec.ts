import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeLauncher } from '../test/fakes/fake-launcher.js';
import { FakeScheduler } from '../test/fakes/fake-scheduler.js';
import type { GpuProbe } from './gpu/gpu-probe.js';
import { Worker } from './worker.js';
import type { WorkerConfig } from './worker.config.js';

const twoGpus: GpuProbe = {
  list: () =>
    Promise.resolve(
      [0, 1].map((index) => ({
        index,
        name: 'Fake GPU',
        memoryTotalMb: 16_000,
        memoryUsedMb: 100,
        utilizationPercent: 50,
      })),
    ),
};
const noGpu: GpuProbe = { list: () => Promise.resolve([]) };

describe('the agent loop (fake scheduler, fake trial processes)', () => {
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  async function start(s: FakeScheduler, config: Partial<WorkerConfig>) {
    const fake = fakeLauncher();
    const logs: string[] = [];
    const worker = new Worker(
      {
        apiUrl: 'http://scheduler.test',
        token: 't'.repeat(16),
        host: 'unit',
        pollIntervalMs: 20,
        artifactsDir: await mkdtemp(path.join(os.tmpdir(), 'ablate-unit-')),
        dataRoots: [os.tmpdir()],
        backend: 'fake',
        push: false,
        fetch: s.fetch,
        gpuProbe: noGpu,
        backoff: { initialMs: 5, maxMs: 20 },
        launchers: { default: fake.launcher },
        killGraceMs: 1234,
        stopGraceMs: 500,
        env: {},
        ...config,
      },
      { log: (l) => logs.push(l) },
    );
    workers.push(worker);
    await worker.start();
    return { worker, fake, logs };
  }

  it('leases one trial per free CPU slot, says what it can hold, and fills a slot again when one frees', async () => {
    const s = new FakeScheduler();
    const queued = Array.from({ length: 5 }, () => s.add());
    const { fake } = await start(s, { cpuSlots: 3 });
    await vi.waitFor(() => expect(fake.trials).toHaveLength(3));
    expect(s.registrations[0]).toMatchObject({ slots: 3, cpuSlots: 3, gpus: [], backends: ['fake'] });
    expect(s.leases.slice(0, 3).map((l) => l.freeSlots)).toEqual([3, 2, 1]);
    expect(fake.trials.every((t) => t.launch.gpus.length === 0)).toBe(true);
    // All slots taken: no lease request until one frees.
    const leasesWhenFull = s.leases.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(s.leases.length).toBe(leasesWhenFull);

    fake.trials[0]!.emit({ type: 'epoch', step: 1, metrics: { loss: 1 } });
    fake.trials[0]!.end({ type: 'completed', step: 1, metrics: { acc: 0.5 } });
    await vi.waitFor(() => expect(fake.trials).toHaveLength(4));
    expect(s.reportsOf(queued[0]!.id).map((r) => r.type)).toEqual(['epoch', 'completed']);
    expect(s.reportsOf(queued[0]!.id)[0]).toMatchObject({ backend: 'fake' });

    // Heartbeats name every running trial and say which slot runs what.
    await vi.waitFor(() => {
      const beat = s.heartbeats.at(-1)!;
      expect([...beat.trialIds].sort()).toEqual(
        fake.trials
          .slice(1)
          .map((t) => t.launch.trial.id)
          .sort(),
      );
      expect(beat.telemetry?.slots.filter((x) => x.trialId !== null)).toHaveLength(3);
      expect(beat.telemetry?.cpu.cores).toBeGreaterThan(0);
    });
  });

  it('places trials on GPU shares, spread before packed, with the free GPUs in every lease request', async () => {
    const s = new FakeScheduler();
    for (let i = 0; i < 4; i++) s.add();
    const { fake } = await start(s, { gpuProbe: twoGpus, trialsPerGpu: 2 });
    await vi.waitFor(() => expect(fake.trials).toHaveLength(4));
    expect(fake.trials.map((t) => t.launch.gpus)).toEqual([[0], [1], [0], [1]]);
    expect(s.leases.slice(0, 4).map((l) => [l.freeGpus, l.freeSlots])).toEqual([
      [2, 4],
      [2, 3],
      [2, 2],
      [1, 1],
    ]);
    expect(s.registrations[0]).toMatchObject({
      slots: 4,
      trialsPerGpu: 2,
      cpuSlots: 0,
      gpus: [{ index: 0 }, { index: 1 }],
    });
    await vi.waitFor(() =>
      expect(s.heartbeats.at(-1)?.telemetry?.gpus).toEqual(
        [0, 1].map((index): unknown => expect.objectContaining({ index, utilizationPercent: 50 })),
      ),
    );

    // A trial that needs both GPUs waits until each has a free share, then gets both.
    const wide = s.add(2);
    fake.trials[0]!.end({ type: 'completed', step: 1, metrics: {} }); // GPU 0 frees a share
    await vi.waitFor(() => expect(s.leases.at(-1)).toEqual({ freeGpus: 1, freeSlots: 1 }));
    expect(fake.byId(wide.id)).toBeUndefined();
    fake.trials[1]!.end({ type: 'completed', step: 1, metrics: {} }); // and GPU 1
    await vi.waitFor(() => expect(fake.byId(wide.id)?.launch.gpus).toEqual([0, 1]));
  });

  it('obeys a decision by stopping only that trial’s process, and reports nothing more for it', async () => {
    const s = new FakeScheduler();
    const [a, b] = [s.add(), s.add()];
    const { fake, logs } = await start(s, { cpuSlots: 2 });
    await vi.waitFor(() => expect(fake.trials).toHaveLength(2));
    s.answers.set(a.id, { cancel: true, decision: 'prune', reason: 'below the median' });
    fake.byId(a.id)!.emit({ type: 'epoch', step: 1, metrics: { loss: 2 } });
    await vi.waitFor(() => expect(fake.byId(a.id)!.stops).toEqual([1234]));
    fake.byId(a.id)!.emit({ type: 'epoch', step: 2, metrics: { loss: 2 } });
    await vi.waitFor(() =>
      expect(
        logs.some((l) => l.includes(`trial ${a.id}`) && l.includes('stopped (pruned: below the median)')),
      ).toBe(true),
    );
    expect(s.reportsOf(a.id).map((r) => r.type)).toEqual(['epoch']);
    expect(fake.byId(b.id)!.stops).toEqual([]);
  });

  it('reports a typed failure with its code and retryability', async () => {
    const s = new FakeScheduler();
    const t = s.add();
    const { fake } = await start(s, { cpuSlots: 1 });
    await vi.waitFor(() => expect(fake.trials).toHaveLength(1));
    fake.trials[0]!.end({
      type: 'failed',
      error: { code: 'invalid_params', retryable: false, message: 'dropout: too big' },
      exitCode: 0,
      signal: null,
    });
    await vi.waitFor(() =>
      expect(s.reportsOf(t.id)).toEqual([
        expect.objectContaining({
          type: 'failed',
          code: 'invalid_params',
          retryable: false,
          error: 'dropout: too big',
        }),
      ]),
    );
  });

  it('on stop: leases nothing more, stops every child, and hands each trial back', async () => {
    const s = new FakeScheduler();
    const trials = [s.add(), s.add(), s.add()];
    const { worker, fake } = await start(s, { cpuSlots: 2 });
    await vi.waitFor(() => expect(fake.trials).toHaveLength(2));
    await worker.stop();
    workers.pop();
    expect(fake.trials.map((t) => t.stops)).toEqual([[1234], [1234]]);
    for (const t of trials.slice(0, 2))
      expect(s.reportsOf(t.id)).toEqual([expect.objectContaining({ type: 'released' })]);
    expect(s.queue.map((t) => t.id)).toEqual([trials[2]!.id]);
  });

  it('refuses --gpus naming a GPU the node lacks, with the list it found', async () => {
    const worker = new Worker({
      apiUrl: 'http://x.test',
      token: 't'.repeat(16),
      host: 'h',
      pollIntervalMs: 20,
      artifactsDir: os.tmpdir(),
      gpuProbe: twoGpus,
      gpus: '1,3',
      backend: 'fake',
      env: {},
    });
    await expect(worker.start()).rejects.toThrow(
      '--gpus names GPU 3, which this node does not have; GPUs found: 0 (Fake GPU, 16000 MiB), 1 (Fake GPU, 16000 MiB)',
    );
  });
});
