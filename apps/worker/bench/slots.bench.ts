/**
 * `npm run bench:slots`: throughput of one agent with 1 CPU slot, then with 2, in one run.
 *
 * A real scheduler (embedded PostgreSQL) and a real agent; each phase (BENCH_SLOTS: 1,2,2,1 slots,
 * after one untimed warm-up trial) is a sweep of BENCH_TRIALS
 * (8) short real trials — mnist-cnn, BENCH_EPOCHS (2) epochs of BENCH_TRAIN_SIZE (1024) images,
 * each in a child process of its own on the wasm backend, one core per trial — timed from the
 * sweep's creation to its completion. Prints trials/s per phase and the ratio (goal ≥ 1.8 on a
 * 2-core machine), with the load average, since other work on the machine takes cores from both.
 */
import {
  startTestPostgres,
  startTestScheduler,
  TEST_WORKER_TOKEN,
  type TestScheduler,
} from '@ablate/scheduler/testing';
import { Worker } from '../src/index.js';
import { describeCores, sampleCpu } from './cpu-split.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TRIALS = Number(process.env['BENCH_TRIALS'] ?? 8);
const EPOCHS = Number(process.env['BENCH_EPOCHS'] ?? 2);
const TRAIN_SIZE = Number(process.env['BENCH_TRAIN_SIZE'] ?? 1024);
/** 1, 2, 2, 1: the load of a shared machine drifts; in this order a steady drift weighs on both alike. */
const PHASES = (process.env['BENCH_SLOTS'] ?? '1,2,2,1').split(',').map(Number);
/** BENCH_CHECKPOINT_PERIOD_S: the agent's ABLATE_CHECKPOINT_MIN_PERIOD_S (0, the default: every epoch's checkpoint is uploaded). */
const CHECKPOINT_PERIOD_S = Number(process.env['BENCH_CHECKPOINT_PERIOD_S'] ?? 0);

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const pg = await startTestPostgres();
  const s = await startTestScheduler(pg.adminUrl);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ablate-bench-slots-'));
  console.log(
    `bench:slots — ${TRIALS} mnist-cnn trials (${EPOCHS} epochs × ${TRAIN_SIZE} images) per phase; checkpoints ${CHECKPOINT_PERIOD_S > 0 ? `at most every ${CHECKPOINT_PERIOD_S} s` : 'every epoch'}; ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  );
  const totals = new Map<number, { trials: number; seconds: number }>();
  try {
    // Untimed: one trial first, so neither phase pays for cold caches (dataset files, wasm binaries).
    await runPhase(s, tmp, 1, 1);
    for (const slots of PHASES) {
      const { seconds, backend, before, cores } = await runPhase(s, tmp, slots, TRIALS);
      const rate = TRIALS / seconds;
      const total = totals.get(slots) ?? { trials: 0, seconds: 0 };
      totals.set(slots, { trials: total.trials + TRIALS, seconds: total.seconds + seconds });
      console.log(
        `${slots} slot${slots === 1 ? ' ' : 's'}: ${TRIALS} trials in ${seconds.toFixed(1)} s = ${rate.toFixed(3)} trials/s, ${cores.total.toFixed(2)} cores used (${cores.line}) (backend ${backend}; load average before ${before}, after ${load()})`,
      );
    }
    const rateOf = (slots: number) => {
      const t = totals.get(slots)!;
      return t.trials / t.seconds;
    };
    for (const slots of totals.keys())
      console.log(`${slots} slot(s), all phases: ${rateOf(slots).toFixed(3)} trials/s`);
    const [low, high] = [Math.min(...totals.keys()), Math.max(...totals.keys())];
    if (low !== high)
      console.log(
        `ratio ${high} slots / ${low} slot(s): ${(rateOf(high) / rateOf(low)).toFixed(2)} (goal ≥ 1.8 for 2 / 1 on 2 cores)`,
      );
  } finally {
    await s.close();
    await pg.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** One sweep of `trials` trials through a fresh agent with `slots` CPU slots; seconds from creation to completion. */
async function runPhase(
  s: TestScheduler,
  tmp: string,
  slots: number,
  trials: number,
): Promise<{ seconds: number; backend: string | null; before: string; cores: { total: number; line: string } }> {
  const t0 = performance.now();
  const worker = new Worker(
    {
      apiUrl: s.url,
      token: TEST_WORKER_TOKEN,
      artifactsDir: path.join(tmp, `slots-${slots}-${trials}`),
      pollIntervalMs: 100,
      host: `bench-${slots}`,
      cpuSlots: slots,
      gpuProbe: { list: () => Promise.resolve([]) },
      checkpointMinPeriodMs: CHECKPOINT_PERIOD_S * 1000,
    },
    // BENCH_LOG=1: the agent's lines with the time since the phase began (to see where a trial's time goes).
    {
      log: process.env['BENCH_LOG']
        ? (line) => console.log(`[${((performance.now() - t0) / 1000).toFixed(2)} s] ${line}`)
        : () => undefined,
    },
  );
  await worker.start();
  const before = load();
  const cpuBefore = sampleCpu();
  const sweep = await s.user.createSweep({
    name: `slots ${slots}, ${trials} trials`,
    template: 'mnist-cnn',
    parameters: {
      epochs: { value: EPOCHS },
      trainSize: { value: TRAIN_SIZE },
      validationSize: { value: 256 },
      seed: { values: Array.from({ length: trials }, (_, i) => i + 1) },
    },
    metric: { name: 'val_acc', goal: 'maximize' },
    maxRetries: 0,
  });
  // Polled once a second (a poll costs the scheduler CPU that the trials would otherwise get); the
  // time is the scheduler's own, from the sweep's creation to its last trial's end.
  let done = (await s.user.getSweep(sweep.id)).sweep;
  while (!['completed', 'failed', 'cancelled'].includes(done.status)) {
    await sleep(1000);
    done = (await s.user.getSweep(sweep.id)).sweep;
  }
  const { status } = done;
  const seconds = (Date.parse(done.finishedAt ?? '') - Date.parse(done.createdAt)) / 1000;
  if (!(seconds > 0)) throw new Error(`the ${slots}-slot sweep has no finishing time (${done.createdAt} → ${done.finishedAt})`);
  await worker.stop();
  const cores = describeCores(cpuBefore, sampleCpu(), seconds);
  if (status !== 'completed') throw new Error(`the ${slots}-slot sweep ended ${status}`);
  return { seconds, backend: worker.backend, before, cores };
}

await main();
