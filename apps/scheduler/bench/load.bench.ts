/**
 * `npm run bench:load [-- --seconds 60]`: the scheduler under a pool of workers. Starts an embedded
 * PostgreSQL and the built scheduler in its own process, then 50 simulated workers (real HTTP,
 * registered with identity) report at 10 epochs/s each while 5 dashboard sockets follow the
 * sweeps, once on one sweep and once spread over 50. Prints reports/s, latency percentiles, the
 * scheduler's and PostgreSQL's CPU and memory, and whether every accepted point was stored.
 * A benchmark: it prints numbers and asserts nothing (docs/scheduler-benchmarks.md reads them).
 */
import { ApiClient, type SweepSummary } from '@ablate/contracts';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DashboardSockets } from './load/dashboard-sockets.js';
import { PointLedger } from './load/point-ledger.js';
import { ProcessMeter, sampleProcess, sampleProcessTree } from './load/process-stats.js';
import { SimulatedWorker, emptyStats } from './load/simulated-worker.js';
import { printTable, type ScenarioResult } from './load/report-table.js';
import { startSchedulerProcess } from './scheduler/scheduler-process.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    workers: { type: 'string', default: '50' },
    rate: { type: 'string', default: '10' },
    sockets: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '20' },
    /** Folder for a CPU profile of the scheduler (open the .cpuprofile in Chrome DevTools). */
    profile: { type: 'string' },
  },
});
const seconds = Number(flags.seconds);
const workers = Number(flags.workers);
const rate = Number(flags.rate);
const sockets = Number(flags.sockets);
const epochs = Number(flags.epochs);

// With --profile, the scheduler writes a CPU profile when it stops.
const scheduler = await startSchedulerProcess(flags.profile ? { profileDir: flags.profile } : {});
const { url, token, log } = scheduler;
const user = new ApiClient({ baseUrl: url });

/** One scenario: `sweeps` sweeps of `trials` trials, every worker reporting until the window ends. */
async function scenario(
  label: string,
  sweepCount: number,
  trials: number,
  trialEpochs: number,
  runSeconds = seconds,
): Promise<ScenarioResult> {
  const sweeps: SweepSummary[] = [];
  for (let i = 0; i < sweepCount; i++) {
    sweeps.push(
      await user.createSweep({
        name: `${label} ${i + 1}`,
        template: 'mnist-cnn',
        parameters: { seed: { values: Array.from({ length: trials }, (_, k) => k) } },
        metric: { name: 'val_acc', goal: 'maximize' },
      }),
    );
  }
  const sims = Array.from(
    { length: workers },
    () => new SimulatedWorker(url, token, { rate, epochs: trialEpochs }),
  );
  await Promise.all(sims.map((s, i) => s.register(`bench-${i + 1}`)));
  const dashboards = new DashboardSockets();
  await dashboards.open(
    url,
    sockets,
    sweeps.map((s) => s.id),
  );
  const ledger = new PointLedger();
  const stats = emptyStats();
  const schedulerMeter = new ProcessMeter(() => sampleProcess(scheduler.schedulerPid));
  const postgresMeter = new ProcessMeter(() => sampleProcessTree(scheduler.postmasterPid));
  await Promise.all([schedulerMeter.begin(), postgresMeter.begin()]);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(sims.map((s) => s.run(t0 + runSeconds * 1000, ledger, stats)));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const generatorCpuPercent = ((cpu.user + cpu.system) / 1e6 / wall) * 100;
  const [sched, pg] = await Promise.all([schedulerMeter.end(), postgresMeter.end()]);
  await new Promise((r) => setTimeout(r, 500)); // let the last pushes arrive
  dashboards.close();
  const stored = await ledger.verify(scheduler.databaseUrl);
  for (const s of sweeps) await user.cancelSweep(s.id); // the next scenario leases from its own sweeps
  return {
    label,
    wall,
    stats,
    sched,
    pg,
    generatorCpuPercent,
    stored,
    pushes: dashboards.trialEvents + dashboards.sweepEvents,
  };
}

try {
  console.log(
    `bench:load: ${workers} workers × ${rate} reports/s for ${seconds} s, ${sockets} dashboard sockets, on ${os.cpus().length} CPU(s)`,
  );
  // Warm-up, not reported: the first seconds of a fresh process run unoptimized code.
  const warmSeconds = Math.min(10, seconds);
  await scenario(
    'warm-up',
    1,
    Math.ceil((workers * rate * warmSeconds * 1.2) / epochs) + workers,
    epochs,
    warmSeconds,
  );
  const oneSweepTrials = Math.ceil((workers * rate * seconds * 1.2) / epochs) + workers;
  const results = [await scenario('one sweep', 1, oneSweepTrials, epochs)];
  // One long trial per sweep: leasing is oldest-sweep-first, so this is how 50 workers spread over 50 sweeps.
  results.push(await scenario('50 sweeps', 50, 1, rate * (seconds + 10)));
  printTable(results, { workers, rate, epochs });
  const errors = log.filter((l) => /\bERROR\b/.test(l));
  if (errors.length > 0)
    console.log(
      `\nscheduler log had ${errors.length} error line(s), e.g.:\n${errors.slice(0, 5).join('\n')}`,
    );
} finally {
  await scheduler.stop();
}
