import type { SweepSpecInput } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LeasesRepository } from '../src/modules/trials/leases.repository.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker } from './registered-worker.js';

const seeds = (name: string, n: number, extra: Partial<SweepSpecInput> = {}): SweepSpecInput => ({
  name,
  template: 'mnist-cnn',
  parameters: { seed: { values: Array.from({ length: n }, (_, i) => i) } },
  metric: { name: 'val_acc', goal: 'maximize' },
  ...extra,
});

describe('batched leases', () => {
  let s: TestScheduler;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
  });
  afterAll(async () => s.close());

  it('hands 12 leases asked at once to 12 workers: oldest sweep first, within maxConcurrent, lowest index first, each trial once', async () => {
    const capped = await s.user.createSweep(seeds('capped', 5, { maxConcurrent: 3 }));
    const small = await s.user.createSweep(seeds('small', 4));
    const large = await s.user.createSweep(seeds('large', 20));
    const workers = await Promise.all(Array.from({ length: 12 }, (_, i) => registerWorker(s, `batch-${i}`)));
    const leases = s.app.get(LeasesRepository);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 60_000);
    // Asked together: the first runs alone, the other 11 wait for it and share the next statements.
    const leased = await Promise.all(workers.map((w) => leases.leaseNextTrial(w.workerId, now, expiresAt)));

    expect(leased.every((l) => l !== null)).toBe(true);
    expect(leased.map((l) => l!.trial.leaseOwner)).toEqual(workers.map((w) => w.workerId));
    expect(new Set(leased.map((l) => l!.trial.id)).size).toBe(12);
    const bySweep = (id: string) => leased.filter((l) => l!.trial.sweepId === id).map((l) => l!.trial.index);
    expect(bySweep(capped.id)).toEqual([0, 1, 2]);
    expect(bySweep(small.id)).toEqual([0, 1, 2, 3]);
    expect(bySweep(large.id)).toEqual([0, 1, 2, 3, 4]);
    // Each lease answers with its sweep's head as the statement left it; the database agrees.
    expect(leased.find((l) => l!.trial.sweepId === large.id)!.sweep.counts).toMatchObject({
      queued: 15,
      leased: 5,
    });
    expect((await s.user.getSweep(capped.id)).sweep).toMatchObject({
      status: 'running',
      counts: { queued: 2, leased: 3 },
    });
    expect((await s.user.getSweep(small.id)).sweep).toMatchObject({
      status: 'running',
      counts: { queued: 0, leased: 4 },
    });
    expect((await s.user.getSweep(large.id)).sweep).toMatchObject({
      status: 'running',
      counts: { queued: 15, leased: 5 },
    });
    for (const sweep of [capped, small, large]) await s.user.cancelSweep(sweep.id);
  });

  it('answers null to the asks a batch cannot serve, and serves the rest', async () => {
    const sweep = await s.user.createSweep(seeds('three', 3));
    const workers = await Promise.all(Array.from({ length: 6 }, (_, i) => registerWorker(s, `short-${i}`)));
    const answers = await Promise.all(workers.map((w) => w.api.leaseTrial(w.workerId)));
    const got = answers.filter((a) => a.trial !== null);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((a) => a.trial!.id)).size).toBe(3);
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ queued: 0, leased: 3 });
  });
});
