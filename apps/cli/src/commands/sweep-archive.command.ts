import type { SweepArchive } from '@ablate/contracts';
import { Presets, SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { apiOption, client, guarded, type ApiOptions } from '../lib/cli-context.js';
import { readLeaderboard, type Grouping } from '../lib/leaderboard-rows.js';
import { configurationsCsv, leaderboardExport, seriesCsv, trialsCsv } from '../lib/sweep-export.js';

/** Archives above this size upload with a progress bar. */
const PROGRESS_ABOVE_BYTES = 1024 * 1024;
const UPLOAD_CHUNK_BYTES = 256 * 1024;

const isGzip = (bytes: Buffer) => bytes[0] === 0x1f && bytes[1] === 0x8b;

function describe(archive: SweepArchive): string {
  const points = archive.trials.reduce((n, t) => n + t.points.length, 0);
  return `${archive.trials.length} trials, ${points} metric points`;
}

/** The bytes as a stream fetch pulls from, moving a progress bar on stderr as it goes. */
function withProgress(bytes: Buffer): ReadableStream<Uint8Array<ArrayBuffer>> {
  const bar = new SingleBar(
    // Also when stderr is a file or a pipe (a line every few seconds), so long imports in scripts show progress too.
    { format: 'uploading {bar} {percentage}% | {sent}/{size} MB', hideCursor: true, stream: process.stderr, noTTYOutput: true },
    Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  bar.start(bytes.length, 0, { sent: mb(0), size: mb(bytes.length) });
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        bar.stop();
        // Checking and storing take longer than the upload (10,000 trials, 800,000 points: ~15 s).
        console.error('Uploaded; the scheduler is checking and storing it...');
        controller.close();
        return;
      }
      const end = Math.min(offset + UPLOAD_CHUNK_BYTES, bytes.length);
      controller.enqueue(new Uint8Array(bytes.subarray(offset, end)));
      offset = end;
      bar.update(offset, { sent: mb(offset) });
    },
  });
}

type ExportOptions = ApiOptions & { output?: string; format: 'archive' | 'json' | 'csv'; group: Grouping | 'series' };

/** The export in the format asked for, and what to say about it on stderr. */
async function exportAs(id: string, opts: ExportOptions): Promise<{ text: string; summary: string }> {
  const api = client(opts);
  if (opts.group !== 'trial' && opts.format !== 'csv') {
    throw new Error(`--group ${opts.group} shapes CSV rows; add --format csv (the ${opts.format} export already has every trial${opts.format === 'json' ? "'s curves and the configurations" : "'s metric points"}).`);
  }
  if (opts.format === 'archive') {
    const archive = await api.exportSweep(id);
    return { text: `${JSON.stringify(archive)}\n`, summary: `sweep ${archive.sweep.id} (${describe(archive)})` };
  }
  const { sweep } = await api.getSweep(id, { top: 1 });
  const metric = sweep.metric.name;
  if (opts.format === 'csv') {
    if (opts.group === 'series') {
      const archive = await api.exportSweep(id);
      return { text: seriesCsv(await readLeaderboard(api, id, 'trial'), archive), summary: `every metric point of sweep ${sweep.id} (${describe(archive)})` };
    }
    const text = opts.group === 'config' ? configurationsCsv(await readLeaderboard(api, id, 'config'), metric) : trialsCsv(await readLeaderboard(api, id, 'trial'), metric);
    return { text, summary: `the ${opts.group === 'config' ? 'configurations' : 'trials'} of sweep ${sweep.id}` };
  }
  const trials = await readLeaderboard(api, id, 'trial');
  const configurations = await readLeaderboard(api, id, 'config');
  if (sweep.total > 1000) console.error('Reading every metric point...');
  const json = leaderboardExport(sweep, trials, configurations, await api.exportSweep(id));
  return { text: `${JSON.stringify(json)}\n`, summary: `sweep ${sweep.id} (${trials.length} trials with their curves, ${configurations.length} configurations)` };
}

/** `ablate sweep export` and `ablate sweep import`: a sweep, its trials and every metric point as one file. */
export function registerArchiveCommands(sweep: Command): void {
  sweep
    .command('export <id>')
    .description(
      'Write a sweep to a file (gzipped when it ends in .gz) or stdout: `archive` (re-importable: trials and every metric point), ' +
        '`json` (the ranked leaderboard with each trial\'s curves and the configurations), or `csv` (leaderboard rows, params and metrics as columns).',
    )
    .option(...apiOption())
    .option('-o, --output <file>', 'file to write (default: stdout)')
    .addOption(new Option('--format <format>', 'what to write').choices(['archive', 'json', 'csv']).default('archive'))
    .addOption(
      new Option('--group <rows>', 'csv rows: one per trial, per configuration over its repeat seeds (mean, std, n), or per metric point (series: trial_id,index,step,metric,value)')
        .choices(['trial', 'config', 'series'])
        .default('trial'),
    )
    .action(
      guarded(async (id: string, opts: ExportOptions) => {
        const { text, summary } = await exportAs(id, opts);
        if (!opts.output) {
          process.stdout.write(text);
          return;
        }
        await writeFile(opts.output, opts.output.endsWith('.gz') ? await promisify(gzip)(text) : text);
        console.error(`Exported ${summary} to ${opts.output}.`);
      }),
    );

  sweep
    .command('import <file>')
    .description('Create a new sweep from a file `ablate sweep export` wrote; unfinished trials are queued again from the start.')
    .option(...apiOption())
    .option('--project <slug>', 'file the sweep under this project instead of its own')
    .action(
      guarded(async (file: string, opts: ApiOptions & { project?: string }) => {
        const raw = await readFile(file);
        // Sent gzipped either way: JSON curves shrink several times, and the scheduler inflates them.
        const body = isGzip(raw) ? raw : await promisify(gzip)(raw);
        const large = raw.length > PROGRESS_ABOVE_BYTES;
        if (large) console.error(`${file}: ${(raw.length / 1024 / 1024).toFixed(1)} MB; the scheduler checks it whole, then stores it in one transaction.`);
        const upload = large ? withProgress(body) : new Uint8Array(body);
        const created = await client(opts).importSweep(upload, { gzip: true, project: opts.project });
        console.log(`Sweep ${created.id} imported into project ${created.project}: ${created.total} trials (${created.counts.queued} queued).`);
      }),
    );
}
