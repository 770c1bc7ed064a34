import type { StartedScheduler } from '@ablate/scheduler';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { ApiClient, type TrialReport } from '@ablate/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { readOutboxFile } from '../src/outbox/outbox-file.js';
import { Worker } from '../src/worker.js';
import { startAgain, stopAbruptly } from './scheduler-restart.js';

const EPOCHS = 8;
const AGENT_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the report outbox survives an agent restart', () => {
  let s: TestScheduler;
  let second: StartedScheduler | null = null;
  let dir: string;
  let agent: ChildProcess | null = null;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-outbox-'));
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await second?.app.close();
    await rm(dir, { recursive: true, force: true });
    await rm(s.config.artifactsDir!, { recursive: true, force: true }); // the first scheduler went down abruptly, not through close()
  });

  /** What the node's outbox files still have to send. */
  async function waiting(): Promise<TrialReport[]> {
    const files = (await readdir(path.join(dir, 'outbox')).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl'));
    const read = await Promise.all(files.map((f) => readOutboxFile(path.join(dir, 'outbox', f))));
    return read.flatMap((c) => c?.pending ?? []);
  }

  it('reports written while the scheduler was down are delivered after the restart, in order, once', async () => {
    const sweep = await s.user.createSweep({
      name: 'outbox',
      template: 'mnist-cnn',
      parameters: { epochs: { value: EPOCHS }, trainSize: { value: 512 }, validationSize: { value: 128 } },
      metric: { name: 'val_loss', goal: 'minimize' },
    });
    const trialId = (await s.user.getSweep(sweep.id)).trials[0]!.id;
    const env = { ...process.env, ABLATE_API_URL: s.url, ABLATE_WORKER_TOKEN: TEST_WORKER_TOKEN, ABLATE_ARTIFACTS_DIR: dir, ABLATE_CPU_SLOTS: '1', ABLATE_GPUS: 'none', ABLATE_POLL_INTERVAL_MS: '100' };
    agent = spawn(process.execPath, [AGENT_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: string[] = [];
    createInterface({ input: agent.stdout! }).on('line', (l) => logs.push(l));
    createInterface({ input: agent.stderr! }).on('line', (l) => logs.push(`stderr: ${l}`));
    await vi.waitFor(async () => expect((await s.user.getTrialMetrics(trialId)).points.some((p) => p.step === 1), logs.join('\n')).toBe(true), { timeout: 90_000, interval: 100 });

    // The scheduler goes; the agent trains on and its reports wait on disk; then the agent is killed.
    await stopAbruptly(s.app);
    await vi.waitFor(async () => expect((await waiting()).length, logs.join('\n')).toBeGreaterThanOrEqual(2), { timeout: 90_000, interval: 100 });
    agent.kill('SIGKILL');
    await new Promise((resolve) => agent!.once('exit', resolve));
    const left = (await waiting()).map((r) => (r.type === 'epoch' ? r.step : r.type));
    expect(left.every((step) => typeof step === 'number')).toBe(true);

    second = await startAgain(s.config, s.url);
    const user = new ApiClient({ baseUrl: second.url });
    const sent: TrialReport[] = [];
    const counting: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === `/api/trials/${trialId}/reports`) sent.push(JSON.parse(init?.body as string) as TrialReport);
      return fetch(input, init);
    };
    // The agent starts again on the node, with the same folder.
    const logsAgain: string[] = [];
    const again = new Worker({ apiUrl: second.url, token: TEST_WORKER_TOKEN, artifactsDir: dir, pollIntervalMs: 100, host: 'node-a', gpus: 'none', cpuSlots: 1, fetch: counting }, { log: (l) => logsAgain.push(l) });
    await again.start();
    await vi.waitFor(async () => expect((await user.getSweep(sweep.id)).sweep.status).toBe('completed'), { timeout: 120_000, interval: 200 });
    await again.stop();

    // The old registration's reports are the ones the killed agent left: each once, in order, then its hand-back.
    const oldId = (sent.find((r) => r.workerId !== again.workerId) ?? { workerId: '' }).workerId;
    const replayed = sent.filter((r) => r.workerId === oldId).map((r) => (r.type === 'epoch' ? r.step : r.type));
    expect(replayed, logsAgain.join('\n')).toEqual([...left, 'released']);
    expect(logsAgain.join('\n')).toContain(`outbox: trial ${trialId}: ${left.length + 1} of ${left.length + 1} report(s) left by process ${agent.pid} delivered`);
    expect(await waiting()).toEqual([]);

    const { points } = await user.getTrialMetrics(trialId);
    const keys = points.map((p) => `${p.step}:${p.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(points.filter((p) => p.name === 'val_loss').map((p) => p.step)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
  });
});
