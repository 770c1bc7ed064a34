import type { LeasedTrial } from '@ablate/contracts';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildTrial } from '../src/trial-process/child-trial.js';
import { templateLauncher } from '../src/trial-process/template-launcher.js';
import { trialEnv } from '../src/trial-process/trial-env.js';
import type { RunningTrial, TrialEvent } from '../src/trial-process/trial-process.js';

/** A real template child per test (about a second to start): what happens to the process is what is tested. */
describe('a trial in its own child process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-child-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  function launch(params: Record<string, unknown>, o: { gpus?: number[]; hangTimeoutMs?: number } = {}) {
    const trial: LeasedTrial = {
      id: randomUUID(),
      sweepId: randomUUID(),
      template: 'mnist-cnn',
      params,
      attempt: 1,
      resumeAfterStep: null,
      gpus: 0,
      leaseExpiresAt: new Date().toISOString(),
    };
    const checkpointDir = path.join(dir, trial.id);
    const env = { ...process.env, ABLATE_TF_BACKEND: 'wasm', ABLATE_WORKER_TOKEN: 'secret-token-0123456789' };
    const running = templateLauncher({ hangTimeoutMs: o.hangTimeoutMs ?? 0 })({
      trial,
      checkpointDir,
      gpus: o.gpus ?? [],
      dataRoots: [dir],
      env,
    });
    const events: TrialEvent[] = [];
    const waiters: { test: (e: TrialEvent) => boolean; resolve: () => void }[] = [];
    running.onEvent((e) => {
      events.push(e);
      for (const w of waiters.filter((x) => x.test(e))) w.resolve();
    });
    // Waits for an event; an outcome first (the trial ended without it) fails the test instead of hanging it.
    const until = (test: (e: TrialEvent) => boolean) =>
      events.some(test)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ test, resolve })),
            running.outcome.then((o) =>
              Promise.reject(new Error(`the trial ended (${JSON.stringify(o)}) before the awaited event`)),
            ),
          ]);
    return { running, events, until, checkpointDir };
  }
  const long = { epochs: 100, trainSize: 512, validationSize: 32 };
  const isEpoch = (e: TrialEvent) => e.type === 'epoch';
  const logged = (events: TrialEvent[]) => events.flatMap((e) => (e.type === 'log' ? [e.line] : []));

  it('sets CUDA_VISIBLE_DEVICES to its GPUs (empty on a CPU slot), runs V8 single-threaded on a CPU slot, and keeps the pool token from it', async () => {
    const gpu = launch({ epochs: 1, trainSize: 64, validationSize: 32 }, { gpus: [1] });
    const cpu = launch({ epochs: 1, trainSize: 64, validationSize: 32 });
    expect(await gpu.running.outcome).toMatchObject({ type: 'completed', step: 1 });
    expect(await cpu.running.outcome).toMatchObject({ type: 'completed', step: 1 });
    expect(logged(gpu.events)[0]).toMatch(/^child pid \d+, CUDA_VISIBLE_DEVICES=1, node flags \(none\)$/);
    // One CPU slot is one core: no JIT or GC threads beside the trial's own (template-launcher CPU_TRIAL_FLAGS).
    expect(logged(cpu.events)[0]).toMatch(/^child pid \d+, CUDA_VISIBLE_DEVICES=, node flags --single-threaded$/);
    expect(gpu.events.filter((e) => e.type !== 'log')).toEqual([
      { type: 'checkpoint', step: 1 },
      expect.objectContaining({ type: 'epoch', step: 1 }),
    ]);
    expect(
      trialEnv({ ABLATE_WORKER_TOKEN: 'secret', HOME: '/h', CUDA_VISIBLE_DEVICES: '0,1,2' }, [2]),
    ).toEqual({ HOME: '/h', CUDA_VISIBLE_DEVICES: '2' });
  });

  it('kill -9 of the child is a retryable crash of that trial', async () => {
    const t = launch(long);
    await t.until(isEpoch);
    process.kill(t.running.pid!, 'SIGKILL');
    expect(await t.running.outcome).toMatchObject({
      type: 'failed',
      signal: 'SIGKILL',
      error: { code: 'crashed', retryable: true, message: expect.stringContaining('killed by SIGKILL') as string },
    });
  });

  it('a child that stops sending anything is killed as hung', async () => {
    // Above the child's start-up (loading TF.js, ~1 s) and its ping interval (1 s).
    const t = launch(long, { hangTimeoutMs: 4000 });
    await t.until(isEpoch);
    process.kill(t.running.pid!, 'SIGSTOP'); // frozen: no epoch, no output, no ping
    expect(await t.running.outcome).toMatchObject({
      type: 'failed',
      error: { code: 'hung', retryable: true },
    });
  });

  it('stop: SIGTERM ends training after the batch, the last checkpoint stays, and the child exits on its own', async () => {
    const t = launch(long);
    await t.until(isEpoch);
    await t.running.stop(30_000);
    expect(await t.running.outcome).toEqual({ type: 'stopped' });
    expect((t.running as ChildTrial).exitStatus).toEqual({ code: 0, signal: null }); // its own exit, not a signal
    const manifest = JSON.parse(await readFile(path.join(t.checkpointDir, 'checkpoint.json'), 'utf8')) as {
      epoch: number;
    };
    expect(manifest.epoch).toBeGreaterThanOrEqual(1);
  });

  it('bad params fail at once with a typed, permanent error', async () => {
    const t = launch({ dropout: 5 });
    expect(await t.running.outcome).toMatchObject({
      type: 'failed',
      error: { code: 'invalid_params', retryable: false, message: expect.stringContaining('dropout') as string },
    });
  });

  it('a process that runs out of heap fails as out_of_memory', async () => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=16', '-e', 'const a = []; for (;;) a.push(new Array(1e5).fill(a.length));'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const running: RunningTrial = new ChildTrial(child, { hangTimeoutMs: 0 });
    expect(await running.outcome).toMatchObject({
      type: 'failed',
      error: { code: 'out_of_memory', retryable: true },
    });
  });
});
