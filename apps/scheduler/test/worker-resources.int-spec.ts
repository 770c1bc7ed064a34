import {
  ApiClient,
  LIVE_NAMESPACE,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SweepSummary,
  type WorkerSummary,
  type WorkerTelemetry,
} from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { LeaseReaperService } from '../src/modules/trials/lease-reaper.service.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

// Long enough that the reaper's own timer never fires during the test: only reap() calls count.
const TTL = 600_000;
const gpu = (index: number) => ({ index, name: 'NVIDIA Test GPU', memoryTotalMb: 81_920 });

describe('worker resources: GPU leasing, placement reasons, telemetry and liveness', () => {
  let s: TestScheduler;
  let live: Socket<ServerToClientEvents, ClientToServerEvents>;
  const clock = new ManualClock();
  const sweepPushes: SweepSummary[] = [];
  const workerPushes: WorkerSummary[] = [];
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'), { clock, leaseTtlMs: TTL });
    live = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
    live.on('sweep:updated', (x) => sweepPushes.push(x));
    live.on('worker:updated', (w) => workerPushes.push(w));
    const ack = await live.emitWithAck('sweeps:subscribe');
    expect(ack.ok).toBe(true);
  });
  afterAll(async () => {
    live.close();
    await s.close();
  });

  async function register(host: string, gpus: number, cpuSlots = 0) {
    const reg = await s.worker.registerWorker({
      host,
      slots: Math.max(1, gpus + cpuSlots),
      backends: ['wasm'],
      gpus: Array.from({ length: gpus }, (_, i) => gpu(i)),
      cpuSlots,
    });
    return { ...reg, api: new ApiClient({ baseUrl: s.url, token: s.config.workerToken, worker: reg }) };
  }
  const sweepSpec = (name: string, gpus?: number) => ({
    name,
    template: 'mnist-cnn' as const,
    parameters: { seed: { values: [1, 2] } },
    metric: { name: 'val_acc', goal: 'maximize' as const },
    ...(gpus === undefined ? {} : { resources: { gpus } }),
  });
  const reasonOf = async (id: string) => (await s.user.getSweep(id)).sweep.reason;

  it('hands a trial only to a worker with the GPUs it needs, and says why it waits until one registers', async () => {
    const cpu = await register('cpu-node', 0, 2);
    const big = await s.user.createSweep(sweepSpec('needs two GPUs', 2));
    expect(big.reason).toBe(
      'Waiting for a worker: each trial needs 2 GPU(s); the largest connected worker has 0',
    );
    const plain = await s.user.createSweep(sweepSpec('any slot'));
    expect(plain.reason).toBeNull();

    // The older GPU sweep does not block the CPU node: it gets the plain sweep's trial.
    const first = (await cpu.api.leaseTrial(cpu.workerId, { freeGpus: 0, freeSlots: 2 })).trial;
    expect(first).toMatchObject({ sweepId: plain.id, gpus: 0 });
    expect((await cpu.api.leaseTrial(cpu.workerId, { freeGpus: 0, freeSlots: 0 })).trial).toBeNull();

    const one = await register('one-gpu', 1);
    expect(await reasonOf(big.id)).toBe(
      'Waiting for a worker: each trial needs 2 GPU(s); the largest connected worker has 1',
    );
    const two = await register('two-gpus', 2);
    expect(await reasonOf(big.id)).toBeNull();
    await vi.waitFor(() => expect(sweepPushes.filter((x) => x.id === big.id).at(-1)?.reason).toBeNull());

    expect((await one.api.leaseTrial(one.workerId, { freeGpus: 1, freeSlots: 1 })).trial?.sweepId).toBe(
      plain.id,
    );
    expect((await two.api.leaseTrial(two.workerId, { freeGpus: 1, freeSlots: 1 })).trial).toBeNull(); // one GPU busy
    expect((await two.api.leaseTrial(two.workerId, { freeGpus: 2, freeSlots: 2 })).trial).toMatchObject({
      sweepId: big.id,
      gpus: 2,
    });
    // An agent of the first release sends no body: one slot, no GPU.
    expect((await cpu.api.leaseTrial(cpu.workerId)).trial).toBeNull();
  });

  it('stores and pushes telemetry, marks a silent worker lost, and a lost big node brings the reason back', async () => {
    const workers = await live.emitWithAck('workers:subscribe');
    if (!workers.ok) throw new Error(workers.error.message);
    expect(workers.data.map((w) => w.host)).toEqual(
      expect.arrayContaining(['cpu-node', 'one-gpu', 'two-gpus']),
    );
    expect(workers.data.every((w) => w.state === 'live')).toBe(true);

    const list = (await s.user.listWorkers()).workers;
    const two = list.find((w) => w.host === 'two-gpus')!;
    expect(two).toMatchObject({
      gpus: [gpu(0), gpu(1)],
      trialsPerGpu: 1,
      cpuSlots: 0,
      leases: 1,
      telemetry: null,
    });
    const cpu = list.find((w) => w.host === 'cpu-node')!;

    // Only a new node heartbeats from now on, with its gauges.
    clock.advance(TTL * 0.6);
    const telemetry: WorkerTelemetry = {
      cpu: { utilizationPercent: 97.5, cores: 2 },
      memory: { usedBytes: 3e9, totalBytes: 8e9 },
      gpus: [],
      slots: [
        { name: 'cpu0', gpus: [], trialId: null },
        { name: 'cpu1', gpus: [], trialId: null },
      ],
    };
    const reg = await register('heartbeating', 0, 2);
    await reg.api.heartbeat(reg.workerId, { trialIds: [], telemetry });
    await vi.waitFor(() =>
      expect(workerPushes.find((w) => w.id === reg.workerId && w.telemetry)?.telemetry).toEqual(telemetry),
    );
    // The heartbeat's push is the worker as lists show it, read by the heartbeat's own statement.
    expect(workerPushes.find((w) => w.id === reg.workerId && w.telemetry)).toMatchObject({ host: 'heartbeating', state: 'live', cpuSlots: 2, leases: 0 });
    expect((await s.user.listWorkers()).workers.find((w) => w.id === reg.workerId)?.telemetry).toEqual(
      telemetry,
    );

    clock.advance(TTL * 0.6); // everyone but `heartbeating` is now silent for longer than the TTL
    await s.app.get(LeaseReaperService).reap();
    const after = (await s.user.listWorkers()).workers;
    expect(after.find((w) => w.id === two.id)?.state).toBe('lost');
    expect(after.find((w) => w.id === cpu.id)?.state).toBe('lost');
    expect(after.find((w) => w.id === reg.workerId)?.state).toBe('live');
    await vi.waitFor(() => expect(workerPushes.filter((w) => w.id === two.id).at(-1)?.state).toBe('lost'));

    const big = (await s.user.listSweeps()).sweeps.find((x) => x.name === 'needs two GPUs')!;
    expect(await reasonOf(big.id)).toBe(
      'Waiting for a worker: each trial needs 2 GPU(s); the largest connected worker has 0',
    );
  });

  it("never overwrites a reason it did not write: a paused GPU sweep keeps 'paused by'", async () => {
    const big = await s.user.createSweep(sweepSpec('paused big', 4));
    expect(big.reason).toMatch(/^Waiting for a worker: each trial needs 4 GPU/);
    await s.user.pauseSweep(big.id);
    await register('four-gpus', 4);
    expect(await reasonOf(big.id)).toMatch(/^paused by/);
  });
});
