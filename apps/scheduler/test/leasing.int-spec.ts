import type { SweepSpecInput } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { LeaseReaperService } from '../src/modules/trials/lease-reaper.service.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker } from './registered-worker.js';

const twenty: SweepSpecInput = {
  name: 'twenty seeds',
  template: 'mnist-cnn',
  parameters: { seed: { values: Array.from({ length: 20 }, (_, i) => i) } },
  metric: { name: 'val_loss', goal: 'minimize' },
  maxRetries: 1,
};

// A TTL long enough that the reaper's own timer (every TTL/4 of real time) never runs during the
// test: only the test's reap() calls expire leases, at the manual clock's time.
const TTL = 600_000;

describe('leasing', () => {
  let s: TestScheduler;
  const clock = new ManualClock();
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'), { clock, leaseTtlMs: TTL });
  });
  afterAll(async () => s.close());

  it('gives each of 20 queued trials to exactly one of two racing workers', async () => {
    const sweep = await s.user.createSweep(twenty);
    const workers = await Promise.all(['a', 'b'].map((host) => registerWorker(s, host)));
    const taken = new Map<string, string[]>();
    await Promise.all(
      workers.map(async ({ workerId, api }) => {
        const mine: string[] = [];
        taken.set(workerId, mine);
        for (;;) {
          const { trial } = await api.leaseTrial(workerId);
          if (!trial) return;
          mine.push(trial.id);
        }
      }),
    );
    const all = [...taken.values()].flat();
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
    expect([...taken.values()].every((ids) => ids.length > 0)).toBe(true);
    const detail = await s.user.getSweep(sweep.id);
    expect(detail.sweep.status).toBe('running');
    expect(detail.sweep.counts.leased).toBe(20);
  });

  it('requeues the trial of a worker that disappears, then fails it past the retry limit', async () => {
    // A finished sweep cannot be cancelled (409): cancel the unfinished ones.
    for (const old of (await s.user.listSweeps()).sweeps) if (!['completed', 'failed', 'cancelled'].includes(old.status)) await s.user.cancelSweep(old.id);
    const sweep = await s.user.createSweep({ ...twenty, name: 'crash', parameters: { seed: { value: 7 } } });
    const reaper = s.app.get(LeaseReaperService);
    const [ghost, other] = await Promise.all(['ghost', 'other'].map((host) => registerWorker(s, host)));
    const first = (await ghost!.api.leaseTrial(ghost!.workerId)).trial!;
    expect(first.sweepId).toBe(sweep.id);
    await ghost!.api.report(first.id, {
      type: 'epoch',
      workerId: ghost!.workerId,
      step: 1,
      metrics: { val_loss: 0.4 },
    });

    clock.advance(TTL / 2);
    const beat = await ghost!.api.heartbeat(ghost!.workerId, { trialIds: [first.id] }); // a live worker keeps its lease past the TTL
    expect(beat).toMatchObject({ renewed: [first.id], stop: [] });
    clock.advance(TTL * 0.6);
    expect(await reaper.reap()).toBe(0);

    clock.advance(TTL * 1.1); // the ghost is gone: no report, no heartbeat
    expect(await reaper.reap()).toBe(1);
    const requeued = (await s.user.getSweep(sweep.id)).trials[0]!;
    expect(requeued).toMatchObject({ status: 'queued', attempt: 2, step: 1, score: 0.4 });
    expect(requeued.error).toContain('lease expired');

    const second = (await other!.api.leaseTrial(other!.workerId)).trial!;
    expect(second).toMatchObject({ id: first.id, attempt: 2, resumeAfterStep: 1 });
    await expect(
      ghost!.api.report(first.id, {
        type: 'epoch',
        workerId: ghost!.workerId,
        step: 2,
        metrics: { val_loss: 0.1 },
      }),
    ).rejects.toMatchObject({
      code: 'lease_not_held',
    });

    clock.advance(TTL * 1.1);
    expect(await reaper.reap()).toBe(1);
    const failed = (await s.user.getSweep(sweep.id)).trials[0]!;
    expect(failed.status).toBe('failed');
    // Its only trial failed: the sweep fails too, naming the error.
    expect((await s.user.getSweep(sweep.id)).sweep).toMatchObject({ status: 'failed', reason: expect.stringContaining('every trial failed') as string });
  });
});

describe('concurrent writers', () => {
  let s: TestScheduler;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
  });
  afterAll(async () => s.close());

  it('cancels a sweep while workers lease and report on it, without an error reaching anyone', async () => {
    const sweep = await s.user.createSweep({
      ...twenty,
      name: 'cancel under load',
      parameters: { seed: { values: Array.from({ length: 40 }, (_, i) => i) } },
    });
    const workers = await Promise.all(['a', 'b', 'c'].map((host) => registerWorker(s, host)));
    let cancelled = false;
    const busy = workers.map(async ({ workerId, api }) => {
      for (let round = 0; round < 40; round++) {
        const { trial } = await api.leaseTrial(workerId);
        if (!trial) return;
        for (let step = 1; step <= 3; step++) {
          const res = await api.report(trial.id, {
            type: 'epoch',
            workerId,
            step,
            metrics: { val_loss: 1 / step },
          });
          if (res.cancel) break;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 150));
    const cancelling = s.user.cancelSweep(sweep.id).then(() => (cancelled = true));
    await Promise.all([...busy, cancelling]);
    expect(cancelled).toBe(true);
    const detail = await s.user.getSweep(sweep.id);
    expect(detail.sweep.status).toBe('cancelled');
    expect(detail.trials.every((t) => t.status === 'cancelled' || t.status === 'completed')).toBe(true);
  });
});
