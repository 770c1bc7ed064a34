import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TrialLauncher } from './trial-process/trial-process.js';
import { Worker } from './worker.js';

/** Calls the worker made, by kind: trials leased by a lease call, and by a completion's answer. */
interface Calls {
  leasedByCall: string[];
  leasedByCompletion: string[];
  completionsAsking: number;
  /** Completions that carried their trial's epoch (`lastEpoch`), and epoch reports sent alone. */
  completionsWithEpoch: number;
  epochsAlone: number;
  /** Completions that carried their trial's log tail (`logs`), and log batches posted alone. */
  completionsWithLogs: number;
  logPosts: number;
}

const noCalls = (): Calls => ({ leasedByCall: [], leasedByCompletion: [], completionsAsking: 0, completionsWithEpoch: 0, epochsAlone: 0, completionsWithLogs: 0, logPosts: 0 });

/**
 * fetch that records what the worker's lease calls and completion reports carried and got; with
 * `olderScheduler` the registration's answer lists no `logs` among the completion extras, as a
 * scheduler from before them answers.
 */
function recordingFetch(calls: Calls, olderScheduler = false): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = input instanceof URL ? input : new URL(input instanceof Request ? input.url : input);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    if (olderScheduler && url.pathname === '/api/workers' && init?.method === 'POST') {
      const reg = (await res.json()) as { completionExtras: string[] };
      return Response.json({ ...reg, completionExtras: reg.completionExtras.filter((x) => x !== 'logs') }, { status: res.status });
    }
    if (url.pathname.endsWith('/logs') && init?.method === 'POST') calls.logPosts++;
    if (url.pathname.endsWith('/reports') && body['type'] === 'completed' && body['logs']) calls.completionsWithLogs++;
    if (url.pathname.endsWith('/reports') && body['type'] === 'epoch') calls.epochsAlone++;
    if (url.pathname.endsWith('/lease')) {
      const { trial } = (await res.clone().json()) as { trial: { id: string } | null };
      if (trial) calls.leasedByCall.push(trial.id);
    } else if (url.pathname.endsWith('/reports') && body['type'] === 'completed' && body['nextLease']) {
      calls.completionsAsking++;
      if (body['lastEpoch']) calls.completionsWithEpoch++;
      const { next } = (await res.clone().json()) as { next?: { id: string } | null };
      if (next) calls.leasedByCompletion.push(next.id);
    }
    return res;
  };
}

describe('LeaseLoop and TrialReporter: one call per trial that ends right after its epoch', () => {
  let s: TestScheduler;
  let artifacts: string;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-lease-loop-'));
  });
  afterAll(async () => {
    await s.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  /** Runs a sweep of 8 trials that each report one epoch and complete at once, on one worker with 2 slots. */
  async function runEight(name: string, olderScheduler = false) {
    const sweep = await s.user.createSweep({
      name,
      template: 'mnist-cnn',
      parameters: { seed: { values: [0, 1, 2, 3, 4, 5, 6, 7] } },
      metric: { name: 'val_acc', goal: 'maximize' },
    });
    const launched: string[] = [];
    const instant: TrialLauncher = (launch) => {
      launched.push(launch.trial.id);
      return {
        pid: undefined,
        onEvent: (listener) => listener({ type: 'epoch', step: 1, metrics: { val_acc: 0.5 } }),
        outcome: Promise.resolve({ type: 'completed', step: 1, metrics: { val_acc: 0.5 } }),
        stop: () => Promise.resolve(),
      };
    };
    const calls = noCalls();
    const logs: string[] = [];
    const worker = new Worker(
      {
        apiUrl: s.url,
        token: TEST_WORKER_TOKEN,
        artifactsDir: artifacts,
        pollIntervalMs: 50,
        host: name,
        cpuSlots: 2,
        launchers: { default: instant },
        fetch: recordingFetch(calls, olderScheduler),
      },
      { log: (l) => logs.push(l) },
    );
    await worker.start();
    for (let i = 0; i < 400 && (await s.user.getSweep(sweep.id)).sweep.status !== 'completed'; i++)
      await new Promise((r) => setTimeout(r, 50));
    await worker.stop();
    const { sweep: after, trials } = await s.user.getSweep(sweep.id);
    expect(after, logs.join('\n')).toMatchObject({ status: 'completed', counts: { completed: 8, queued: 0, leased: 0, running: 0 } });
    // Each trial's stored log tail: its "started" line first, how its process ended last.
    for (const t of trials) {
      const tail = (await s.user.getTrialLogs(t.id)).lines.map((l) => l.line);
      expect(tail[0]).toMatch(/^started with /);
      expect(tail.at(-1)).toBe('process ended: completed at step 1');
    }
    return { calls, trials, launched };
  }

  it('runs 8 trials on 2 slots with 2 lease calls and one call per trial: every completion carries its epoch and its log tail and brings the next trial into the slot it frees, each trial runs once', async () => {
    const { calls, trials, launched } = await runEight('chain');
    // One lease call per slot; every later trial came in the answer of the completion before it.
    expect(calls.leasedByCall).toHaveLength(2);
    expect(calls.leasedByCompletion).toHaveLength(6);
    expect(calls.completionsAsking).toBe(8);
    // Each process ended right after its epoch: the epoch report waited for the completion and went inside it.
    expect(calls.completionsWithEpoch).toBe(8);
    expect(calls.epochsAlone).toBe(0);
    // The log tail went inside the completion too: no log call at all.
    expect(calls.completionsWithLogs).toBe(8);
    expect(calls.logPosts).toBe(0);
    for (const t of trials) expect((await s.user.getTrialMetrics(t.id)).points.map((p) => [p.step, p.name])).toEqual([[1, 'val_acc']]);
    const leased = [...calls.leasedByCall, ...calls.leasedByCompletion];
    expect(new Set(leased)).toEqual(new Set(trials.map((t) => t.id)));
    // Each trial launched once and ran once, on this worker.
    expect([...launched].sort()).toEqual([...leased].sort());
    for (const t of trials) expect((await s.user.getTrial(t.id)).runs.map((r) => r.outcome)).toEqual(['completed']);
  });

  it('posts each log tail alone before the completion to a scheduler that does not list logs among its completion extras', async () => {
    const { calls } = await runEight('older', true);
    expect(calls.completionsWithLogs).toBe(0);
    expect(calls.logPosts).toBeGreaterThanOrEqual(8);
  });
});
