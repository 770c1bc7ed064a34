import { ApiError, type SweepSpecInput, type TrialLogEntry } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

const seeds = (name: string, n: number): SweepSpecInput => ({
  name,
  template: 'mnist-cnn',
  parameters: { seed: { values: Array.from({ length: n }, (_, i) => i) } },
  metric: { name: 'val_acc', goal: 'maximize' },
});

const entries = (from: number, count: number): TrialLogEntry[] =>
  Array.from({ length: count }, (_, k) => ({ seq: from + k, stream: 'agent', line: `line ${from + k}`, at: new Date().toISOString() }));

const completion = (w: RegisteredWorker, lines: TrialLogEntry[]) => ({
  type: 'completed' as const,
  workerId: w.workerId,
  step: 1,
  metrics: { val_acc: 0.5 },
  logs: { attempt: 1, lines },
});

async function refusal(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('the call was accepted');
}

/** A completion carries the trial's log tail (`logs`): one call per trial instead of two. */
describe('completion with the log tail inside', () => {
  let s: TestScheduler;
  let w: RegisteredWorker;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    w = await registerWorker(s, 'tail-in-completion');
  });
  afterAll(async () => s.close());

  it("is advertised in the registration's completionExtras", () => {
    expect(w.completionExtras).toContain('logs');
  });

  it('stores the lines before the completion, once, when it is sent again (a replay) and when some were posted before', async () => {
    await s.user.createSweep(seeds('tail', 1));
    const trial = (await w.api.leaseTrial(w.workerId)).trial!;
    // A batch posted alone before (the interval's), then the completion with it again and the rest: each line once.
    await w.api.sendTrialLogs(trial.id, { workerId: w.workerId, attempt: 1, lines: entries(0, 2) });
    const answer = await w.api.report(trial.id, completion(w, entries(0, 4)));
    expect(answer.decision).toBe('continue');
    expect((await s.user.getTrialLogs(trial.id)).lines.map((l) => [l.attempt, l.seq, l.line])).toEqual([0, 1, 2, 3].map((i) => [1, i, `line ${i}`]));
    // The outbox replays the completion after an outage: refused as finished, and no line is stored twice.
    expect((await refusal(w.api.report(trial.id, completion(w, entries(0, 5))))).code).toBe('trial_finished');
    expect((await s.user.getTrialLogs(trial.id)).lines.map((l) => l.seq)).toEqual([0, 1, 2, 3]);
    expect((await s.user.getTrial(trial.id)).trial.status).toBe('completed');
  });

  it('refuses invalid lines with a 400 naming the field, and stores neither the lines nor the completion', async () => {
    await s.user.createSweep(seeds('bad-tail', 1));
    const trial = (await w.api.leaseTrial(w.workerId)).trial!;
    const lines = [...entries(0, 1), { ...entries(1, 1)[0]!, line: 'x'.repeat(1001) }];
    const err = await refusal(w.api.report(trial.id, completion(w, lines)));
    expect(err.code).toBe('validation_failed');
    expect(err.issues?.map((i) => i.path)).toEqual(['logs.lines.1.line']);
    expect((await s.user.getTrialLogs(trial.id)).lines).toEqual([]);
    expect((await s.user.getTrial(trial.id)).trial.status).toBe('leased');
  });
});
