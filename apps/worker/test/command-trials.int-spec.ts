import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type SubscribeResult, type TrialLogLine, type TrialLogTail } from '@ablate/contracts';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '../src/worker.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/command/', import.meta.url));

/**
 * Command trials through the real scheduler and a real agent: a Python program's metrics reach the
 * leaderboard, a failing one shows its exit code and stderr, a missing program fails at once, and
 * every trial's log tail is stored and pushed live.
 */
describe('command trials end to end', () => {
  let s: TestScheduler;
  let artifacts: string;
  let worker: Worker;
  const logs: string[] = [];

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-command-e2e-'));
    worker = new Worker(
      {
        apiUrl: s.url, token: TEST_WORKER_TOKEN, artifactsDir: artifacts, pollIntervalMs: 100, host: 'command-node',
        backend: 'cpu', cpuSlots: 2, gpuProbe: { list: () => Promise.resolve([]) },
        commandPolicy: { allow: ['python3'], roots: [FIXTURES] },
      },
      { log: (l) => logs.push(l) },
    );
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop();
    await s.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  async function finished(sweepId: string) {
    await expect.poll(async () => (await s.user.getSweep(sweepId)).sweep.status, { timeout: 60_000, interval: 200 }).toMatch(/completed|failed/);
    return s.user.getSweep(sweepId);
  }

  it('a numpy program ranks on the leaderboard by the metric it prints, and its log tail is stored and pushed live', async () => {
    const sweep = await s.user.createSweep({
      name: 'numpy lr',
      template: 'command',
      parameters: { command: { value: 'python3 numpy_fit.py' }, lr: { values: [0.02, 0.2] }, epochs: { value: 3 } },
      metric: { name: 'val_r2', goal: 'maximize' },
    });
    const queued = await s.user.getSweep(sweep.id);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
    const pushed: TrialLogLine[] = [];
    socket.on('trial:log', (p) => pushed.push(...p.lines));
    const watched = queued.trials[0]!.id;
    const ack = await new Promise<SubscribeResult<TrialLogTail>>((resolve) => socket.emit('trial:subscribe', watched, resolve));
    expect(ack).toEqual({ ok: true, data: { trialId: watched, lines: [] } });

    const detail = await finished(sweep.id);
    socket.close();
    expect(detail.sweep.status, logs.join('\n')).toBe('completed');
    for (const t of detail.trials) {
      expect(t).toMatchObject({ status: 'completed', backend: 'python3', step: 3 });
      const { points } = await s.user.getTrialMetrics(t.id);
      expect(points.filter((p) => p.name === 'val_r2').map((p) => p.step)).toEqual([1, 2, 3]);
      expect(t.score).toBe(Math.max(...points.filter((p) => p.name === 'val_r2').map((p) => p.value)));
      expect(t.metrics['test_r2']).toBeTypeOf('number');
    }
    // A larger step size fits the line faster in three steps: it ranks first.
    expect(detail.trials.map((t) => [t.rank, t.params['lr']])).toEqual([[1, 0.2], [2, 0.02]]);

    const tail = await s.user.getTrialLogs(watched);
    const text = tail.lines.map((l) => `${l.stream}: ${l.line}`);
    expect(text[0]).toMatch(/^agent: started with /);
    expect(text).toContainEqual(expect.stringMatching(/^agent: started python3 numpy_fit.py --epochs=3 --lr=0.02 \(pid \d+/) as unknown);
    expect(text.at(-1)).toBe('agent: process ended: completed at step 3');
    expect(tail.lines.map((l) => l.seq)).toEqual(tail.lines.map((_, i) => i));
    await expect.poll(() => pushed.length).toBe(tail.lines.length);
    expect(pushed).toEqual(tail.lines);
  });

  it('a failing program fails with its exit code and stderr tail, in the trial and in its log', async () => {
    const sweep = await s.user.createSweep({
      name: 'fails', template: 'command', maxRetries: 0,
      parameters: { command: { value: 'python3 fail.py' } },
      metric: { name: 'acc', goal: 'maximize' },
    });
    const [trial] = (await finished(sweep.id)).trials;
    expect(trial).toMatchObject({ status: 'failed', attempt: 1 });
    expect(trial!.error).toMatch(/^python3 fail.py exited with code 3\.\nLast lines on stderr:\n/);
    expect(trial!.error).toMatch(/ValueError: the labels file has 9 classes, expected 10$/);
    const tail = (await s.user.getTrialLogs(trial!.id)).lines.map((l) => `${l.stream}: ${l.line}`);
    expect(tail).toContain('stdout: loading data');
    expect(tail).toContain('stderr: ValueError: the labels file has 9 classes, expected 10');
    expect(tail).toContainEqual(expect.stringMatching(/^agent: process ended: failed \(command_failed, exit code 3\): python3 fail.py exited with code 3/) as unknown);
  });

  it('a program that crashes is retried and resumes from its checkpoint, with one series of metrics and both attempts in its log', async () => {
    const sweep = await s.user.createSweep({
      name: 'crash and resume', template: 'command', maxRetries: 1,
      parameters: { command: { value: 'python3 numpy_fit.py' }, epochs: { value: 4 }, 'crash-after': { value: 2 } },
      metric: { name: 'val_r2', goal: 'maximize' },
    });
    const [trial] = (await finished(sweep.id)).trials;
    expect(trial, logs.join('\n')).toMatchObject({ status: 'completed', attempt: 2, step: 4 });
    const { points } = await s.user.getTrialMetrics(trial!.id);
    for (const name of ['loss', 'val_r2']) expect(points.filter((p) => p.name === name).map((p) => p.step)).toEqual([1, 2, 3, 4]);
    // Step 3 came from the first attempt (reported, not checkpointed); the second recomputed it and did not report it again.
    expect(points.find((p) => p.name === 'loss' && p.step === 3)?.value).toBe(99);
    const tail = (await s.user.getTrialLogs(trial!.id)).lines.map((l) => `${l.attempt} ${l.stream}: ${l.line}`);
    expect(tail).toContain('1 stderr: simulated crash');
    expect(tail).toContainEqual(expect.stringMatching(/^1 agent: process ended: failed \(command_failed, exit code 1\)/) as unknown);
    expect(tail).toContain('2 stdout: resuming from step 2');
    expect(tail.at(-1)).toBe('2 agent: process ended: completed at step 4');
  });

  it('a program that does not exist fails at once, without using its retries', async () => {
    const sweep = await s.user.createSweep({
      name: 'missing', template: 'command', maxRetries: 2,
      parameters: { command: { value: './no-such-script.py' } },
      metric: { name: 'acc', goal: 'maximize' },
    });
    const [trial] = (await finished(sweep.id)).trials;
    expect(trial).toMatchObject({ status: 'failed', attempt: 1, error: `${path.join(FIXTURES, 'no-such-script.py')} does not exist (or is no file) on this worker.` });
    const tail = (await s.user.getTrialLogs(trial!.id)).lines.map((l) => l.line);
    expect(tail).toContainEqual(expect.stringMatching(/^process ended: failed \(command_not_found\)/) as unknown);
  });
});
