import {
  ApiError,
  LIVE_NAMESPACE,
  TRIAL_LOG_MAX_BYTES,
  TRIAL_LOG_MAX_LINES,
  type ClientToServerEvents,
  type LeasedTrial,
  type ServerToClientEvents,
  type SubscribeResult,
  type TrialLogEntry,
  type TrialLogPush,
  type TrialLogTail,
} from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const entries = (from: number, count: number, text = (i: number) => `line ${i}`): TrialLogEntry[] =>
  Array.from({ length: count }, (_, k) => ({ seq: from + k, stream: k % 2 ? 'stderr' : 'stdout', line: text(from + k), at: new Date().toISOString() }));

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
}

describe('trial log tails: POST and GET /api/trials/:id/logs, trial:subscribe and trial:log on /live', () => {
  let s: TestScheduler;
  let worker: RegisteredWorker;
  let other: RegisteredWorker;
  const trials: LeasedTrial[] = [];

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    await s.user.createSweep({
      name: 'logs',
      template: 'command',
      parameters: { command: { value: 'python3 train.py' }, lr: { values: [0.1, 0.2, 0.3] } },
      metric: { name: 'score', goal: 'maximize' },
    });
    worker = await registerWorker(s);
    other = await registerWorker(s, 'other');
    for (let i = 0; i < 3; i++) {
      const { trial } = await worker.api.leaseTrial(worker.workerId);
      if (!trial) throw new Error('nothing leased');
      trials.push(trial);
    }
  });
  afterAll(async () => s.close());

  it('stores each line once, in order, and pushes only the new lines to subscribers', async () => {
    const trial = trials[0]!;
    const socket: LiveClient = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
    const pushed: TrialLogPush[] = [];
    socket.on('trial:log', (p) => pushed.push(p));
    await worker.api.sendTrialLogs(trial.id, { workerId: worker.workerId, attempt: 1, lines: entries(0, 3) });
    const ack = await new Promise<SubscribeResult<TrialLogTail>>((resolve) => socket.emit('trial:subscribe', trial.id, resolve));
    expect(ack.ok && ack.data.lines.map((l) => l.line)).toEqual(['line 0', 'line 1', 'line 2']);

    // A retried batch overlapping what is stored adds only its new lines.
    const answer = await worker.api.sendTrialLogs(trial.id, { workerId: worker.workerId, attempt: 1, lines: entries(2, 3) });
    expect(answer.stored).toBe(2);
    await expect.poll(() => pushed.length).toBe(1);
    expect(pushed[0]).toMatchObject({ trialId: trial.id, lines: [{ seq: 3, line: 'line 3', stream: 'stderr', attempt: 1 }, { seq: 4, line: 'line 4' }] });
    const tail = await s.user.getTrialLogs(trial.id);
    expect(tail.lines.map((l) => l.seq)).toEqual([0, 1, 2, 3, 4]);

    // After unsubscribing, nothing more arrives (the next push to a still-subscribed socket proves the order).
    const watcher: LiveClient = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
    const watched: TrialLogPush[] = [];
    watcher.on('trial:log', (p) => watched.push(p));
    await new Promise((resolve) => watcher.emit('trial:subscribe', trial.id, resolve));
    socket.emit('trial:unsubscribe', trial.id);
    await new Promise((resolve) => socket.emit('sweeps:subscribe', resolve)); // the unsubscribe went before this answer
    await worker.api.sendTrialLogs(trial.id, { workerId: worker.workerId, attempt: 1, lines: entries(5, 1) });
    await expect.poll(() => watched.length).toBe(1);
    expect(pushed).toHaveLength(1);
    socket.close();
    watcher.close();
  });

  it('keeps the newest lines within the line and byte bounds', async () => {
    const [, byLines, byBytes] = trials;
    for (let from = 0; from < 700; from += 200) {
      await worker.api.sendTrialLogs(byLines!.id, { workerId: worker.workerId, attempt: 1, lines: entries(from, Math.min(200, 700 - from)) });
    }
    const lines = (await s.user.getTrialLogs(byLines!.id)).lines;
    expect(lines).toHaveLength(TRIAL_LOG_MAX_LINES);
    expect([lines[0]!.seq, lines.at(-1)!.seq]).toEqual([200, 699]);

    const long = (i: number) => `${i}:`.padEnd(1000, 'x');
    for (let from = 0; from < 100; from += 50) {
      await worker.api.sendTrialLogs(byBytes!.id, { workerId: worker.workerId, attempt: 1, lines: entries(from, 50, long) });
    }
    const kept = (await s.user.getTrialLogs(byBytes!.id)).lines;
    const bytes = kept.reduce((sum, l) => sum + Buffer.byteLength(l.line) + 1, 0);
    expect(bytes).toBeLessThanOrEqual(TRIAL_LOG_MAX_BYTES);
    expect(bytes).toBeGreaterThan(TRIAL_LOG_MAX_BYTES - 1001);
    expect(kept.at(-1)!.seq).toBe(99);
  });

  it('refuses lines from a worker that does not hold the attempt, for finished and unknown trials', async () => {
    const trial = trials[0]!;
    const lines = entries(100, 1);
    expect(await codeOf(other.api.sendTrialLogs(trial.id, { workerId: other.workerId, attempt: 1, lines }))).toBe('lease_not_held');
    expect(await codeOf(other.api.sendTrialLogs(trial.id, { workerId: worker.workerId, attempt: 1, lines }))).toBe('forbidden');
    expect(await codeOf(worker.api.sendTrialLogs(trial.id, { workerId: worker.workerId, attempt: 2, lines }))).toBe('lease_not_held');
    expect(await codeOf(worker.api.sendTrialLogs('00000000-0000-4000-8000-000000000000', { workerId: worker.workerId, attempt: 1, lines }))).toBe('trial_not_found');
    expect(await codeOf(s.user.getTrialLogs('not-a-trial'))).toBe('trial_not_found');
    expect(await codeOf(worker.api.sendTrialLogs(trial.id, { workerId: worker.workerId, attempt: 1, lines: [{ ...lines[0]!, line: 'x'.repeat(1001) }] }))).toBe('validation_failed');
    await worker.api.report(trial.id, { type: 'completed', workerId: worker.workerId, step: 1, metrics: { score: 1 } });
    expect(await codeOf(worker.api.sendTrialLogs(trial.id, { workerId: worker.workerId, attempt: 1, lines }))).toBe('trial_finished');
    expect((await s.user.getTrialLogs(trial.id)).lines.map((l) => l.seq)).not.toContain(100);
  });

  it('answers a subscription to a malformed or unknown trial with an error', async () => {
    const socket: LiveClient = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
    const bad = await new Promise<SubscribeResult<TrialLogTail>>((resolve) => socket.emit('trial:subscribe', 'nope', resolve));
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const unknown = await new Promise<SubscribeResult<TrialLogTail>>((resolve) => socket.emit('trial:subscribe', '00000000-0000-4000-8000-000000000000', resolve));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'trial_not_found' } });
    socket.close();
  });
});
