import type { TrialReport } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { SchedulerConnection } from './scheduler-connection.js';
import { TrialReporter } from './trial-reporter.js';

type Answer = { status: number; body: unknown } | 'refused' | Promise<{ status: number; body: unknown }>;
const accepted = { status: 200, body: { cancel: false, leaseExpiresAt: null } };
const WORKER = '00000000-0000-4000-8000-000000000001';

/** A scheduler whose answers to reports the spec scripts, one per call (the last one repeats). */
async function setUp(answers: Answer[], maxQueued?: number, completionExtras: string[] = []) {
  const sent: TrialReport[] = [];
  const logs: string[] = [];
  const stops: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if ((input as URL).pathname === '/api/workers') {
      return Response.json({ workerId: WORKER, workerSecret: 's', leaseTtlMs: 60_000, heartbeatIntervalMs: 15_000, completionExtras });
    }
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    sent.push(JSON.parse(init?.body as string) as TrialReport);
    if (answer === 'refused') throw new TypeError('fetch failed');
    const { status, body } = await answer;
    return Response.json(body, { status });
  };
  const connection = new SchedulerConnection({
    apiUrl: 'http://scheduler.test', token: 't'.repeat(16), registration: { host: 'h', slots: 1, backends: [] },
    log: (l) => logs.push(l), fetch,
  });
  await connection.register();
  const reporter = new TrialReporter({
    trialId: 'trial-1', connection, backoff: { initialMs: 1, maxMs: 4 }, onStop: (r) => stops.push(r), ...(maxQueued ? { maxQueued } : {}),
  });
  return { reporter, sent, logs, stops, connection };
}

const epoch = (step: number) => ({ type: 'epoch' as const, workerId: WORKER, step, metrics: { loss: 1 / step } });
const completed: TrialReport = { type: 'completed', workerId: WORKER, step: 3, metrics: { acc: 1 } };

describe('TrialReporter', () => {
  it('retries through an outage in order, logs it once and once when it ends, and sends the completion last', async () => {
    const { reporter, sent, logs } = await setUp(['refused', 'refused', { status: 503, body: { code: 'unavailable', message: 'db down' } }, 'refused', accepted]);
    for (const step of [1, 2, 3]) await reporter.epoch(epoch(step));
    expect(await reporter.finish(completed)).toBe('delivered');
    const order = sent.map((r) => ('step' in r ? `${r.type}:${r.step}` : r.type));
    expect(order).toEqual(['epoch:1', 'epoch:1', 'epoch:1', 'epoch:1', 'epoch:1', 'epoch:2', 'epoch:3', 'completed:3']);
    expect(logs.filter((l) => l.includes('unreachable'))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('reachable again'))).toHaveLength(1);
  });

  it('ends the trial on a lost lease or a cancel, and drops what is queued', async () => {
    const lost = await setUp([accepted, { status: 409, body: { code: 'lease_not_held', message: 'not yours' } }]);
    for (const step of [1, 2, 3]) await lost.reporter.epoch(epoch(step));
    expect(await lost.reporter.finish(completed)).toBe('ended');
    expect(lost.stops).toEqual(['not yours']);
    expect(lost.sent.map((r) => r.type)).toEqual(['epoch', 'epoch']);

    const cancelled = await setUp([{ status: 200, body: { cancel: true, leaseExpiresAt: null } }]);
    await cancelled.reporter.epoch(epoch(1));
    await cancelled.reporter.epoch(epoch(2));
    expect(await cancelled.reporter.finish(completed)).toBe('ended');
    expect(cancelled.stops).toEqual(['cancelled by the scheduler']);
    expect(cancelled.reporter.decided).toEqual({ decision: 'cancel', via: 'report answer' });
  });

  it("stops on a pruner's decision in a report answer, with its reason, and keeps the first decision", async () => {
    const reason = 'val_acc 0.31 is below the median 0.52 of 5 trials at step 2';
    const pruned = await setUp([accepted, { status: 200, body: { cancel: true, decision: 'prune', reason, leaseExpiresAt: null } }]);
    await pruned.reporter.epoch(epoch(1));
    await pruned.reporter.epoch(epoch(2));
    expect(await pruned.reporter.finish(completed)).toBe('ended');
    expect(pruned.stops).toEqual([reason]);
    expect(pruned.reporter.decided).toEqual({ decision: 'prune', via: 'report answer' });
    // A later stop (a pushed order, a heartbeat) changes nothing.
    pruned.reporter.end('the scheduler said stop in its heartbeat answer', { decision: 'cancel', via: 'push' });
    expect(pruned.stops).toEqual([reason]);
    expect(pruned.reporter.decided?.decision).toBe('prune');
    expect(pruned.sent.map((r) => r.type)).toEqual(['epoch', 'epoch']);
  });

  it('stops training when a report is refused outright, and still sends the failure', async () => {
    const { reporter, sent, stops } = await setUp([{ status: 400, body: { code: 'validation_failed', message: 'loss: not finite' } }, accepted]);
    await reporter.epoch(epoch(1));
    await reporter.epoch(epoch(2)); // queued behind the refused one, dropped with it
    expect(await reporter.finish(completed)).toBe('refused'); // a trial with a refused epoch is not completed
    const failure = await reporter.finish({ type: 'failed', workerId: WORKER, error: 'refused', retryable: true });
    expect(failure).toBe('delivered');
    expect(stops).toEqual(['the scheduler refused the epoch report for step 1: loss: not finite']);
    expect(sent.map((r) => r.type)).toEqual(['epoch', 'failed']);
  });

  it('holds training only when the queue is full, and gives up when abandoned', async () => {
    let answer!: (a: typeof accepted) => void;
    const { reporter, sent } = await setUp([new Promise((resolve) => (answer = resolve)), 'refused'], 2);
    await reporter.epoch(epoch(1)); // in flight
    await reporter.epoch(epoch(2)); // queued: 2 held
    let third = false;
    const queued = reporter.epoch(epoch(3)).then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    answer(accepted);
    await queued;
    expect(third).toBe(true);
    const finishing = reporter.finish(completed);
    reporter.abandon();
    expect(await finishing).toBe('abandoned');
    expect(sent[0]).toMatchObject({ step: 1 });
  });

  describe('with a scheduler that takes lastEpoch and nextLease', () => {
    const EXTRAS = ['nextLease', 'lastEpoch'];
    const next = { id: 'trial-2', sweepId: 's', template: 'mnist-cnn', params: {}, attempt: 1, resumeAfterStep: null, gpus: 0, leaseExpiresAt: new Date().toISOString() };

    it('sends the last epoch with the completion as one call, asking for the next trial, and hands the trial it brings to the lease loop', async () => {
      const { reporter, sent, connection } = await setUp([accepted, accepted, { status: 200, body: { ...accepted.body, next } }], undefined, EXTRAS);
      const handed: [string, unknown][] = [];
      connection.nextLeases = { askAfter: () => ({ freeGpus: 0, freeSlots: 1 }), leased: (id, trial) => handed.push([id, trial]) };
      for (const step of [1, 2, 3]) await reporter.epoch(epoch(step));
      expect(await reporter.finish(completed)).toBe('delivered');
      expect(sent).toEqual([
        epoch(1),
        epoch(2),
        { ...completed, lastEpoch: { step: 3, metrics: epoch(3).metrics }, nextLease: { freeGpus: 0, freeSlots: 1 } },
      ]);
      expect(handed).toEqual([['trial-1', next]]);
    });

    it('sends a lone epoch report once the window passed without a completion, and the completion alone', async () => {
      const { reporter, sent } = await setUp([accepted], undefined, EXTRAS);
      await reporter.epoch(epoch(1));
      while (sent.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await reporter.finish(completed)).toBe('delivered');
      expect(sent).toEqual([epoch(1), completed]);
    });

    it('holds a lone epoch report past the window once the process has ended, and sends it inside the last report', async () => {
      const env = await setUp([accepted], undefined, EXTRAS);
      const reporter = new TrialReporter({ trialId: 'trial-1', connection: env.connection, foldWindowMs: 1, onStop: () => undefined });
      const sent = env.sent;
      await reporter.epoch(epoch(2));
      reporter.processEnded();
      await new Promise((resolve) => setTimeout(resolve, 30)); // many windows
      expect(sent).toEqual([]);
      expect(await reporter.finish(completed)).toBe('delivered');
      expect(sent).toEqual([{ ...completed, lastEpoch: { step: 2, metrics: epoch(2).metrics } }]);
    });

    it("ends the trial on the epoch's stop in a folded completion's answer: the completion was not applied", async () => {
      const reason = 'val_acc 0.31 is below the median';
      const { reporter, sent, stops } = await setUp([{ status: 200, body: { cancel: true, decision: 'prune', reason, leaseExpiresAt: null } }], undefined, EXTRAS);
      await reporter.epoch(epoch(3));
      expect(await reporter.finish(completed)).toBe('ended');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ type: 'completed', lastEpoch: { step: 3 } });
      expect(stops).toEqual([reason]);
    });
  });
});
