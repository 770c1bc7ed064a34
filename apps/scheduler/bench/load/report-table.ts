import type { LoadStats } from './simulated-worker.js';

export interface ScenarioResult {
  label: string;
  /** Seconds the workers ran. */
  wall: number;
  stats: LoadStats;
  sched: { cpuPercent: number; rssMb: number; peakRssMb: number };
  pg: { cpuPercent: number; rssMb: number; peakRssMb: number };
  /** CPU of this process (the simulated workers and dashboards), % of a core. */
  generatorCpuPercent: number;
  stored: { expected: number; lost: number; unexpected: number; wrongTrials: number };
  /** socket.io events the dashboards received. */
  pushes: number;
}

/** The value at fraction `p` of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** The benchmark's table: one column per scenario. */
export function printTable(
  results: ScenarioResult[],
  setup: { workers: number; rate: number; epochs: number },
): void {
  const rows: [string, (r: ScenarioResult) => string][] = [
    [
      'reports/s achieved',
      (r) => `${(r.stats.accepted / r.wall).toFixed(0)} of ${setup.workers * setup.rate}`,
    ],
    ['reports accepted', (r) => String(r.stats.accepted)],
    [
      'reports refused or failed',
      (r) =>
        r.stats.errors.size === 0 ? '0' : [...r.stats.errors].map(([code, n]) => `${n} ${code}`).join(', '),
    ],
    ['latency p50 (ms)', (r) => percentile(r.stats.latencies, 0.5).toFixed(1)],
    ['latency p95 (ms)', (r) => percentile(r.stats.latencies, 0.95).toFixed(1)],
    ['latency p99 (ms)', (r) => percentile(r.stats.latencies, 0.99).toFixed(1)],
    ['latency max (ms)', (r) => (r.stats.latencies.at(-1) ?? NaN).toFixed(1)],
    ['scheduler CPU (% of a core)', (r) => r.sched.cpuPercent.toFixed(0)],
    ['scheduler RSS end / peak (MB)', (r) => `${r.sched.rssMb.toFixed(0)} / ${r.sched.peakRssMb.toFixed(0)}`],
    ['PostgreSQL CPU (% of a core)', (r) => r.pg.cpuPercent.toFixed(0)],
    ['load generator CPU (% of a core)', (r) => r.generatorCpuPercent.toFixed(0)],
    ['dashboard pushes received', (r) => String(r.pushes)],
    ['metric points expected', (r) => String(r.stored.expected)],
    ['points lost', (r) => String(r.stored.lost)],
    ['points stored but not accepted', (r) => String(r.stored.unexpected)],
    ['trials with wrong step/metrics/score', (r) => String(r.stored.wrongTrials)],
  ];
  for (const r of results) r.stats.latencies.sort((a, b) => a - b);
  const width = 38;
  console.log(`\n${'metric'.padEnd(width)}${results.map((r) => r.label.padStart(22)).join('')}`);
  for (const [name, cell] of rows)
    console.log(`${name.padEnd(width)}${results.map((r) => cell(r).padStart(22)).join('')}`);
  console.log(
    `\n(one sweep: trials of ${setup.epochs} epochs, so leases and completions go on throughout; 50 sweeps: one trial per sweep per worker)`,
  );
}
