/**
 * Launches the course's table (course-experiments.ts) as sweeps on a running Ablate (the scheduler,
 * its workers and leaderboard), each row with `repeats` seeds, waits while showing progress, and
 * prints mean ± std per row with its wall time.
 *
 *   npm start                                   # with ABLATE_DATA_DIR holding cifar-10-batches-bin/
 *   npm run reproduce:course -- --quick [--repeats 3] [--api http://127.0.0.1:4000] [--only base,dropout]
 *                              [--extractor mobilenet_v2 | /data/models/vgg16/model.json] [--data-dir /data]
 *   npm run reproduce:course -- --report "quick 2026-11-30T12:35"   # the table of sweeps launched earlier (their tag)
 *
 * The transfer rows need an extractor: `--extractor` (a name, URL or a path in the workers' data
 * roots), else the script exports the base CNN row's first finished trial (GET /api/trials/:id/model)
 * into `<data dir>/models/` and uses that: a CNN trained here on CIFAR-10, not an ImageNet model.
 */
import { ApiClient, type SweepDetail } from '@ablate/contracts';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar';
import { courseRows, rowSweep, type CourseRow } from './course-experiments.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes('=') ? args[i]!.slice(args[i]!.indexOf('=') + 1) : args[i + 1];
};
const quick = args.includes('--quick');
const repeats = Number(option('repeats') ?? 3);
const api = (option('api') ?? process.env['ABLATE_API_URL'] ?? `http://127.0.0.1:${process.env['ABLATE_API_PORT'] ?? 4000}`).replace(/\/$/, '');
const dataDir = path.resolve(option('data-dir') ?? process.env['ABLATE_DATA_DIR'] ?? path.join(homedir(), '.cache', 'ablate'));
const only = option('only')?.toLowerCase().split(',');
const client = new ApiClient({ baseUrl: api, actor: 'reproduce:course' });
const report = option('report');
const tag = report ?? `${quick ? 'quick' : 'full'} ${new Date().toISOString().slice(0, 16)}`;

interface Launched {
  row: CourseRow;
  sweepId: string | null;
  detail?: SweepDetail;
  note?: string;
  /** Each completed run's lease start and end (ms), from the trials' runs. */
  times?: (readonly [number, number])[];
}

const FINISHED = ['completed', 'failed', 'cancelled'];
const rows: Launched[] = courseRows(quick)
  .filter((r) => !only || only.some((o) => r.name.toLowerCase().includes(o)))
  .map((row) => ({ row, sweepId: null }));
const started = Date.now();
const clock = () => new Date(Date.now() - started).toISOString().slice(11, 19);

async function launch(l: Launched, extractor?: Record<string, unknown>): Promise<void> {
  l.sweepId = (await client.createSweep(rowSweep(l.row, repeats, tag, extractor))).id;
}

/** The extractor for the transfer rows: `--extractor`, or the base CNN's first finished trial exported through the API. */
async function extractorFromBase(): Promise<Record<string, unknown> | null> {
  const given = option('extractor');
  if (given) return { extractor: given };
  const base = rows.find((l) => l.row.name === 'CNN (base)');
  const done = base?.detail?.trials.find((t) => t.status === 'completed');
  if (!base || !done) return null;
  const res = await fetch(`${api}/api/trials/${done.id}/model`);
  if (!res.ok || !res.body) throw new Error(`GET /api/trials/${done.id}/model: HTTP ${res.status} ${await res.text()}`);
  const dir = path.join(dataDir, 'models', `course-cnn-${done.id}`);
  await mkdir(dir, { recursive: true });
  await pipeline(Readable.fromWeb(res.body), extract({ cwd: dir, strict: true }) as unknown as Writable);
  process.stderr.write(`[${clock()}] extractor for the transfer rows: the base CNN's trial ${done.id} (seed ${JSON.stringify(done.params['seed'] ?? 1)}), exported to ${dir}\n`);
  return { extractor: path.join(dir, 'model.json'), featureLayer: 'flatten', inputSize: 32, inputRange: '0-1' };
}

function progress(l: Launched): string {
  const trials = l.detail?.trials ?? [];
  const done = trials.filter((t) => FINISHED.includes(t.status) || t.status === 'pruned').length;
  const running = trials.filter((t) => t.status === 'running').map((t) => `e${t.step ?? 0}`);
  return `${l.row.name}: ${l.sweepId ? `${done}/${trials.length}${running.length ? ` (${running.join(',')})` : ''}` : 'waiting for its extractor'}`;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const pct = (xs: number[]) => `${(mean(xs) * 100).toFixed(1)} ± ${(std(xs) * 100).toFixed(1)} %`;

function resultOf(l: Launched): { result: string; wall: string; perRun: string; n: number } {
  const done = (l.detail?.trials ?? []).filter((t) => t.status === 'completed');
  const values = (name: string) => done.map((t) => t.metrics[name]).filter((v): v is number => v !== undefined);
  const result = l.row.metric.name === 'test_acc'
    ? `test acc ${pct(values('test_acc'))}`
    : `val MSE ${mean(values('val_mse')).toFixed(4)} ± ${std(values('val_mse')).toFixed(4)}, forecast MSE ${mean(values('forecast_mse')).toFixed(4)} ± ${std(values('forecast_mse')).toFixed(4)}`;
  const times = l.times ?? [];
  const wall = times.length ? `${((Math.max(...times.map((t) => t[1])) - Math.min(...times.map((t) => t[0]))) / 1000).toFixed(0)} s` : '-';
  const seconds = times.length ? mean(times.map(([a, b]) => b - a)) / 1000 : null;
  const perRun = seconds === null ? '-' : `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const failed = (l.detail?.trials ?? []).filter((t) => t.status === 'failed');
  return { result: done.length ? result : `no run completed${failed[0]?.error ? `: ${failed[0].error.slice(0, 160)}` : ''}`, wall, perRun, n: done.length };
}

/** Lease to end of each completed run (a trial's startedAt is its first report, after data loading and one epoch). */
async function runTimes(l: Launched): Promise<void> {
  l.times = [];
  for (const t of (l.detail?.trials ?? []).filter((t) => t.status === 'completed')) {
    const { runs } = await client.getTrial(t.id);
    const ended = runs.filter((r) => r.endedAt !== null);
    if (ended.length) l.times.push([Math.min(...ended.map((r) => Date.parse(r.startedAt))), Math.max(...ended.map((r) => Date.parse(r.endedAt!)))]);
  }
}

if (report) {
  const { sweeps } = await client.listSweeps({ limit: 200 });
  for (const l of rows) {
    const found = sweeps.find((sw) => sw.name === `course ${report}: ${l.row.name}`);
    if (found) l.sweepId = found.id;
    else l.note = 'not in that run';
  }
} else {
  process.stderr.write(`[${clock()}] ${rows.length} course rows as sweeps on ${api} (${quick ? 'quick' : 'full'} mode, ${repeats} seeds each)\n`);
  for (const l of rows.filter((r) => !r.row.needsExtractor)) await launch(l);
}
let extractor: Record<string, unknown> | null = option('extractor') ? { extractor: option('extractor') } : null;
let lastLine = 0;
for (;;) {
  for (const l of rows) if (l.sweepId) l.detail = await client.getSweep(l.sweepId);
  const waiting = rows.filter((l) => l.row.needsExtractor && !l.sweepId);
  if (waiting.length) {
    extractor ??= await extractorFromBase();
    if (extractor) for (const l of waiting) await launch(l, extractor);
    else if (rows.every((l) => l.row.needsExtractor || !l.detail || FINISHED.includes(l.detail.sweep.status))) {
      for (const l of waiting) l.note = 'no extractor: pass --extractor, or include the CNN (base) row';
    }
  }
  const open = rows.filter((l) => !l.note && (!l.detail || !FINISHED.includes(l.detail.sweep.status)));
  if (Date.now() - lastLine > 15_000 || open.length === 0) {
    process.stderr.write(`[${clock()}] ${rows.map(progress).join(' | ')}\n`);
    lastLine = Date.now();
  }
  if (open.length === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 3000));
}
for (const l of rows) await runTimes(l);

console.log(report ? `\nSweeps "course ${report}: …" on ${api}.\n` : `\n${quick ? 'Quick' : 'Full'} mode, ${repeats} seeds per row, ${api}, ${clock()} in all.\n`);
console.log('| Experiment | Knob | Epochs | Result (mean ± std over seeds) | Runs | Wall time | Per run |\n| --- | --- | --- | --- | --- | --- | --- |');
for (const l of rows) {
  if (l.note) {
    console.log(`| ${l.row.name} | ${l.row.knob} | | ${l.note} | 0 | | |`);
    continue;
  }
  const r = resultOf(l);
  const epochs = JSON.stringify(l.row.params['epochs'] ?? (l.row.template === 'random-forest' || l.row.params['head'] === 'random-forest' ? 1 : ''));
  console.log(`| ${l.row.name} | ${l.row.knob} | ${epochs.replace(/"/g, '')} | ${r.result} | ${r.n} | ${r.wall} | ${r.perRun} |`);
}
