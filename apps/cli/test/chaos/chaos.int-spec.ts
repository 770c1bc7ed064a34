import { ApiClient, type SweepSpecInput } from '@ablate/contracts';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChaosRun, type ChaosExpectations } from './chaos-checks.js';
import { ChaosCluster } from './chaos-cluster.js';
import { ChaosDb } from './chaos-db.js';
import { inject, type InjectionContext, type InjectionRecord } from './chaos-injector.js';
import { chaosSeed, describePlan, planChaos } from './chaos-plan.js';
import {
  describeTimeline,
  describeTrials,
  gatherEvidence,
  logTails,
  planFindings,
  processFindings,
  waitForSweepEnd,
} from './chaos-report.js';
import { ProgressWatch } from './progress-watch.js';

const EPOCHS = 5;
const WORKERS = 3;
/**
 * Short, so a killed worker's trial is requeued in seconds, but not 4 s: a fresh worker's first
 * mnist-cnn trial blocks its event loop while it loads the digits (a synchronous JSON require:
 * 0.7 s on an idle core, 2.5-4.8 s on two cores busy with three other processes), its heartbeat
 * cannot run meanwhile, and at 4 s the lease then expired in 2 of 4 runs, costing a retry that no
 * kill or outage explains.
 */
const LEASE_TTL_MS = 6_000;
/** The first workers start apart, so they do not all load the digits on the same two cores at once. */
const WORKER_STAGGER_MS = 1_500;
/** 2 × 2 × 5 = 20 short real trials: 1,000 digits make an epoch ~0.3 s alone, ~1-2 s with three workers on two busy cores. */
const SPEC: SweepSpecInput = {
  name: 'chaos',
  template: 'mnist-cnn',
  parameters: {
    dropout: { values: [0, 0.25] },
    batchNorm: { values: [false, true] },
    learningRate: { values: [0.001, 0.002, 0.003, 0.004, 0.005] },
    epochs: { value: EPOCHS },
    trainSize: { value: 1000 },
    validationSize: { value: 200 },
    batchSize: { value: 32 },
  },
  metric: { name: 'val_acc', goal: 'maximize' },
  maxRetries: 10, // two worker kills cannot use up a trial's retries; the test counts them exactly instead
};
const EXPECT: ChaosExpectations = {
  epochs: EPOCHS,
  epochMetrics: ['loss', 'acc', 'val_loss', 'val_acc'],
  metric: { name: 'val_acc', goal: 'maximize' },
};
/** The whole sweep, injections included; ~1-2 min on a quiet 2-core machine. */
const SWEEP_DEADLINE_MS = 240_000;
/** No trial finishing or reporting a new step for this long means something is stuck for good. */
const STALL_MS = 45_000;

describe('chaos: kill -9 of workers, the scheduler and PostgreSQL in the middle of a sweep', () => {
  const plan = planChaos(chaosSeed(), 20);
  let dir: string;
  let cluster: ChaosCluster;
  let db: ChaosDb;
  let passed = false;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-chaos-'));
    await chmod(dir, 0o755); // as root, PostgreSQL runs as the user `postgres`, which must enter it
    cluster = await ChaosCluster.create({ dir, leaseTtlMs: LEASE_TTL_MS });
    try {
      await cluster.postgres.start('at +0 ms');
      await cluster.startScheduler();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`chaos set-up failed: ${why}\n${logTails(cluster)}`, { cause: err });
    }
    db = new ChaosDb(cluster.postgres.url);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await db?.close();
    if (passed) await rm(dir, { recursive: true, force: true });
    else if (dir) console.log(`chaos: logs and data kept in ${dir}`);
  }, 60_000);

  it(
    'ends every trial exactly once, costs no retry for outages, keeps every point and resumes from checkpoints',
    async () => {
      const log = (line: string) => console.log(`chaos +${(cluster.elapsed() / 1000).toFixed(1)} s: ${line}`);
      console.log(describePlan(plan));
      const api = new ApiClient({ baseUrl: cluster.apiUrl });
      const sweep = await api.createSweep(SPEC);
      for (let i = 0; i < WORKERS; i++) {
        if (i > 0) await sleep(WORKER_STAGGER_MS);
        cluster.startWorker();
      }
      const injections: InjectionRecord[] = [];
      const ctx: InjectionContext = {
        cluster,
        db,
        sweepId: sweep.id,
        epochs: EPOCHS,
        watch: new ProgressWatch(cluster, Date.now() + SWEEP_DEADLINE_MS, STALL_MS),
        problems: [],
        log,
      };
      const report = (headline: string) =>
        `${headline}\n\n${describePlan(plan)}\nInjected:\n${describeTimeline(injections) || '  nothing'}\n\nLogs (in ${dir}):\n${logTails(cluster)}`;

      try {
        for (const p of plan.injections) {
          injections.push(await inject(p, ctx));
          log(injections.at(-1)!.description);
        }
        await waitForSweepEnd(db, sweep.id, ctx.watch);
        log('every trial finished');
      } catch (err) {
        throw new Error(
          report(`chaos run did not finish: ${err instanceof Error ? err.message : String(err)}`),
          { cause: err },
        );
      }

      const evidence = await gatherEvidence(api, db, cluster, sweep.id, injections);
      const findings = [
        ...ctx.problems,
        ...processFindings(cluster),
        ...planFindings(injections, plan.injections.length),
        ...checkChaosRun(evidence, EXPECT),
      ];
      console.log(`Injected:\n${describeTimeline(injections)}\nTrials:\n${describeTrials(evidence)}`);
      expect(
        findings,
        report(
          `${findings.length} chaos findings:\n${findings.join('\n')}\n\nTrials:\n${describeTrials(evidence)}`,
        ),
      ).toEqual([]);
      passed = true;
    },
    SWEEP_DEADLINE_MS + 60_000,
  );
});
