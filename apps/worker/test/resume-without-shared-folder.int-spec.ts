import { CHECKPOINT_STEP_HEADER } from '@ablate/contracts';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { Worker } from '../src/worker.js';

const EPOCHS = 6;
/** The agent's entry point as a node runs it (`npm test` builds first). */
const AGENT_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('a trial resumes on another node that shares no folder with the first', () => {
  let s: TestScheduler;
  let dirA: string;
  let dirB: string;
  let agentA: ChildProcess | null = null;
  beforeAll(async () => {
    // A short lease: the killed agent's trial is requeued within seconds.
    s = await startTestScheduler(inject('pgAdminUrl'), { leaseTtlMs: 3000 });
    dirA = await mkdtemp(path.join(os.tmpdir(), 'ablate-node-a-'));
    dirB = await mkdtemp(path.join(os.tmpdir(), 'ablate-node-b-'));
  });
  afterAll(async () => {
    agentA?.kill('SIGKILL');
    await s.close();
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  });

  /** The step of the checkpoint the scheduler stores for the trial (0 when none). */
  async function storedStep(trialId: string): Promise<number> {
    const res = await fetch(`${s.url}/api/trials/${trialId}/checkpoint/download`);
    await res.body?.cancel();
    return res.ok ? Number(res.headers.get(CHECKPOINT_STEP_HEADER)) : 0;
  }

  it('from the checkpoint agent A uploaded before it was killed with -9: no epoch missing or repeated', async () => {
    const sweep = await s.user.createSweep({
      name: 'no shared folder',
      template: 'mnist-cnn',
      parameters: { epochs: { value: EPOCHS }, trainSize: { value: 1024 }, validationSize: { value: 128 } },
      metric: { name: 'val_loss', goal: 'minimize' },
      maxRetries: 2,
    });
    const trialId = (await s.user.getSweep(sweep.id)).trials[0]!.id;
    const env = { ...process.env, ABLATE_API_URL: s.url, ABLATE_WORKER_TOKEN: TEST_WORKER_TOKEN, ABLATE_ARTIFACTS_DIR: dirA, ABLATE_CPU_SLOTS: '1', ABLATE_GPUS: 'none', ABLATE_POLL_INTERVAL_MS: '100' };
    const child = spawn(process.execPath, [AGENT_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    agentA = child;
    const logsA: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => logsA.push(l));
    createInterface({ input: child.stderr }).on('line', (l) => logsA.push(`stderr: ${l}`));

    // Agent A trains and uploads after each epoch; it dies with the trial half done.
    await vi.waitFor(async () => expect(await storedStep(trialId), logsA.join('\n')).toBeGreaterThanOrEqual(2), { timeout: 90_000, interval: 100 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const fromA = await storedStep(trialId);
    expect(fromA, logsA.join('\n')).toBeLessThan(EPOCHS);
    expect(existsSync(path.join(dirA, 'trials', trialId))).toBe(true); // A's own copy, which B cannot see

    const logsB: string[] = [];
    const b = new Worker({ apiUrl: s.url, token: TEST_WORKER_TOKEN, artifactsDir: dirB, pollIntervalMs: 100, host: 'node-b', gpus: 'none', cpuSlots: 1 }, { log: (l) => logsB.push(l) });
    await b.start();
    await vi.waitFor(async () => expect((await s.user.getSweep(sweep.id)).sweep.status).toBe('completed'), { timeout: 120_000, interval: 200 });
    await b.stop();

    const trial = (await s.user.getSweep(sweep.id)).trials[0]!;
    expect(trial.attempt).toBe(2); // A's lease ran out: the reaper requeued it
    const textB = logsB.join('\n');
    expect(textB).toContain(`checkpoint of step ${fromA} restored from the scheduler`);
    expect(textB).toContain(`resumed from checkpoint at epoch ${fromA}`);
    const trainedByB = logsB.filter((l) => / epoch \d+\/\d+ /.test(l)).map((l) => Number(/ epoch (\d+)\//.exec(l)![1]));
    expect(trainedByB).toEqual(Array.from({ length: EPOCHS - fromA }, (_, i) => fromA + 1 + i));
    const { points } = await s.user.getTrialMetrics(trialId);
    for (const name of ['loss', 'val_loss']) {
      expect(points.filter((p) => p.name === name).map((p) => p.step), name).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    }
  });
});
