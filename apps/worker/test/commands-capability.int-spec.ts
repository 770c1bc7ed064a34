import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CommandPolicy } from '../src/command/command-policy.js';
import { AGENT_VERSION, Worker } from '../src/worker.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/command/', import.meta.url));

/**
 * A worker that does not run commands (no ABLATE_ALLOW_COMMANDS) registers so, is never leased a
 * command trial (it used to be, and burned the trial's retries with `command_not_allowed`), and a
 * command sweep that no live worker can run says why until one that can connects.
 */
describe('the commands capability', () => {
  let s: TestScheduler;
  let tmp: string;
  const workers: Worker[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ablate-commands-cap-'));
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await s?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function startWorker(host: string, commandPolicy: CommandPolicy): Promise<Worker> {
    const worker = new Worker(
      {
        apiUrl: s.url,
        token: TEST_WORKER_TOKEN,
        artifactsDir: path.join(tmp, host),
        pollIntervalMs: 100,
        host,
        backend: 'cpu',
        cpuSlots: 1,
        gpuProbe: { list: () => Promise.resolve([]) },
        commandPolicy,
      },
      { log: (l) => logs.push(`${host}: ${l}`) },
    );
    workers.push(worker);
    await worker.start();
    return worker;
  }

  const settled = async (sweepId: string) => {
    await expect
      .poll(async () => (await s.user.getSweep(sweepId)).sweep.status, { timeout: 90_000, interval: 200 })
      .toMatch(/completed|failed/);
    return s.user.getSweep(sweepId);
  };

  it('passes command sweeps over for a worker that does not run commands, says why, and hands them to one that does', async () => {
    const plain = await startWorker('no-commands', { allow: 'none' });
    expect((await s.user.listWorkers()).workers.find((w) => w.id === plain.workerId)).toMatchObject({
      commands: false,
      version: AGENT_VERSION, // the agent says its release (the workers page shows it)
    });

    // The command sweep is the older one: leasing would take it first if it did not pass it over.
    const commands = await s.user.createSweep({
      name: 'python',
      template: 'command',
      parameters: { command: { value: 'python3 numpy_fit.py' }, lr: { value: 0.2 }, epochs: { value: 2 } },
      metric: { name: 'val_r2', goal: 'maximize' },
    });
    expect((await s.user.getSweep(commands.id)).sweep.reason).toBe(
      'Waiting for a worker: these are command trials, and none of the 1 connected worker(s) runs commands; start one with ABLATE_ALLOW_COMMANDS (docs/command-trials.md)',
    );
    const template = await s.user.createSweep({
      name: 'tiny cnn',
      template: 'mnist-cnn',
      parameters: { epochs: { value: 1 }, trainSize: { value: 64 }, validationSize: { value: 32 } },
      metric: { name: 'val_acc', goal: 'maximize' },
    });
    expect((await settled(template.id)).sweep.status).toBe('completed');
    // The worker went past the command sweep to the newer one; the command trial is untouched.
    const waiting = await s.user.getSweep(commands.id);
    expect(waiting.sweep.status).toBe('queued');
    expect(waiting.trials[0], logs.join('\n')).toMatchObject({ status: 'queued', attempt: 1 });
    expect(logs.join('\n')).not.toContain('command_not_allowed');

    const runner = await startWorker('runs-commands', { allow: ['python3'], roots: [FIXTURES] });
    expect((await s.user.listWorkers()).workers.find((w) => w.id === runner.workerId)).toMatchObject({
      commands: true,
    });
    const done = await settled(commands.id);
    expect(done.sweep.status, logs.join('\n')).toBe('completed');
    expect(done.sweep.reason).toBeNull();
    expect(done.trials[0]).toMatchObject({ status: 'completed', attempt: 1 });
    expect(logs.some((l) => l.startsWith('runs-commands: ') && l.includes(done.trials[0]!.id))).toBe(true);
    expect(logs.some((l) => l.startsWith('no-commands: ') && l.includes(done.trials[0]!.id))).toBe(false);
  });
});
