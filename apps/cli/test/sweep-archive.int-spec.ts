import { SweepArchive } from '@ablate/contracts';
import { startTestPostgres, startTestScheduler, type TestScheduler } from '@ablate/scheduler/testing';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function ablate(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** 20 finished trials with 3 metrics over 1,000 steps each: a few MB of archive, enough for the progress bar. */
const SEED = `
  UPDATE trials SET status = 'completed', step = 1000, attempt = 1, started_at = now(), finished_at = now(), updated_at = now() WHERE sweep_id = $1;
  INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
    SELECT t.id, m.name, g.step, sin(g.step * (t.index + 1)) / 7, now() FROM trials t
      CROSS JOIN (VALUES ('val_acc'), ('val_loss'), ('loss')) m(name) CROSS JOIN generate_series(1, 1000) g(step) WHERE t.sweep_id = $1;
  UPDATE sweeps SET status = 'completed', finished_at = now() WHERE id = $1;`;

describe('ablate sweep export / import', () => {
  let stopPg: () => Promise<void>;
  let s: TestScheduler;
  let dir: string;
  let sweepId: string;
  beforeAll(async () => {
    const server = await startTestPostgres();
    stopPg = server.stop;
    s = await startTestScheduler(server.adminUrl);
    dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-archive-'));
    const dropout = Array.from({ length: 10 }, (_, i) => i / 10);
    const created = await s.user.createSweep({
      name: 'exported by the CLI',
      template: 'mnist-cnn',
      parameters: { dropout: { values: dropout }, batchNorm: { values: [false, true] } },
      metric: { name: 'val_acc', goal: 'maximize' },
    });
    sweepId = created.id;
    const db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    await db.query(SEED.replace(/\$1/g, `'${sweepId}'`));
    await db.end();
  });
  afterAll(async () => {
    await s?.close();
    await stopPg?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a sweep through a file exactly, showing upload progress for a large one', async () => {
    const file = path.join(dir, 'sweep.json');
    const exported = await ablate('sweep', 'export', sweepId, '-o', file, '--api', s.url);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('(20 trials, 60000 metric points)');
    const original = SweepArchive.parse(JSON.parse(await readFile(file, 'utf8')));

    const imported = await ablate('sweep', 'import', file, '--api', s.url, '--project', 'restored');
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/uploading .* 100% \| [\d.]+\/[\d.]+ MB/);
    const newId = /Sweep (\S+) imported into project restored: 20 trials/.exec(imported.stdout)?.[1];
    expect(newId).toBeDefined();

    const copyFile = path.join(dir, 'copy.json.gz');
    expect((await ablate('sweep', 'export', newId!, '-o', copyFile, '--api', s.url)).code).toBe(0);
    const copy = SweepArchive.parse(JSON.parse(gunzipSync(await readFile(copyFile)).toString('utf8')));
    expect(copy.trials).toEqual(original.trials);
    expect(copy.sweep).toEqual({
      ...original.sweep,
      id: newId,
      project: 'restored',
      spec: { ...original.sweep.spec, project: 'restored' },
    });
  });

  it('exports the ranked leaderboard as CSV (per trial, per configuration over its seeds) and as JSON with every curve', async () => {
    const repeated = await s.user.createSweep({
      name: 'three seeds each',
      template: 'mnist-cnn',
      parameters: { dropout: { values: [0, 0.5] } },
      repeats: 3,
      metric: { name: 'val_acc', goal: 'maximize' },
    });
    const db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    // Scores: 0.1 * index, so trial 19 ranks first; the repeated sweep's dropout 0.5 runs score higher.
    await db.query(
      `UPDATE trials SET score = index / 10.0, metrics = jsonb_build_object('val_acc', index / 10.0, 'loss', 1 - index / 100.0) WHERE sweep_id = $1`,
      [sweepId],
    );
    await db.query(
      `UPDATE trials SET status = 'completed', step = 1, finished_at = now(), score = CASE WHEN params->>'dropout' = '0.5' THEN 0.9 ELSE 0.5 END + index / 100.0 WHERE sweep_id = $1`,
      [repeated.id],
    );
    await db.end();

    const csv = await ablate('sweep', 'export', sweepId, '--format', 'csv', '--api', s.url);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split('\r\n');
    // The params the sweep varies first, then the fixed ones; the ranking metric first among metrics.
    expect(header!.split(',').slice(0, 8)).toEqual([
      'rank',
      'index',
      'id',
      'status',
      'step',
      'score (val_acc)',
      'batchNorm',
      'dropout',
    ]);
    expect(header).toMatch(/,val_acc,loss,status reason$/);
    expect(rows).toHaveLength(20);
    expect(rows[0]).toMatch(/^1,19,[0-9a-f-]{36},completed,1000,1\.9,true,0\.9,/);

    const configs = await ablate(
      'sweep',
      'export',
      repeated.id,
      '--format',
      'csv',
      '--group',
      'config',
      '--api',
      s.url,
    );
    const [configHeader, ...configRows] = configs.stdout.trim().split('\r\n');
    expect(configHeader!.split(',').slice(0, 6)).toEqual([
      'rank',
      'mean (val_acc)',
      'std',
      'n',
      'runs',
      'dropout',
    ]);
    expect(configRows).toHaveLength(2);
    expect(configRows[0]).toMatch(/^1,0\.9\d*,0\.0\d+,3,3,0\.5,/);

    // Every metric point in long format, as the dashboard's "Curves (CSV)" button writes it.
    const series = await ablate('sweep', 'export', sweepId, '--format', 'csv', '--group', 'series', '--api', s.url);
    expect(series.code, series.stderr).toBe(0);
    const [seriesHeader, ...points] = series.stdout.trim().split('\r\n');
    expect(seriesHeader).toBe('trial_id,index,step,metric,value');
    expect(points).toHaveLength(20 * 1000 * 3);
    expect(points[0]).toMatch(/^[0-9a-f-]{36},0,1,loss,/);
    expect(points.at(-1)).toMatch(/^[0-9a-f-]{36},19,1000,val_loss,/);
    const refused = await ablate('sweep', 'export', sweepId, '--format', 'json', '--group', 'series', '--api', s.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--group series shapes CSV rows; add --format csv');

    const file = path.join(dir, 'leaderboard.json');
    const json = await ablate('sweep', 'export', sweepId, '--format', 'json', '-o', file, '--api', s.url);
    expect(json.stderr).toContain('(20 trials with their curves, 20 configurations)');
    const exported = JSON.parse(await readFile(file, 'utf8')) as {
      format: string;
      trials: { index: number; rank: number; series: Record<string, [number, number][]> }[];
      configurations: unknown[];
    };
    expect(exported.format).toBe('ablate-leaderboard');
    expect(exported.trials.map((t) => t.index).slice(0, 3)).toEqual([19, 18, 17]);
    expect(Object.keys(exported.trials[0]!.series).sort()).toEqual(['loss', 'val_acc', 'val_loss']);
    expect(exported.trials[0]!.series.val_acc).toHaveLength(1000);
    expect(exported.trials[0]!.series.val_acc![0]).toEqual([
      1,
      expect.closeTo(Math.sin(20) / 7, 9) as number,
    ]);
  });

  it('says which field is wrong in a file that is not an archive, and stores nothing', async () => {
    const before = (await s.user.listSweeps()).sweeps.length;
    const file = path.join(dir, 'not-an-archive.json');
    await writeFile(file, JSON.stringify({ format: 'something-else', version: 1 }));
    const run = await ablate('sweep', 'import', file, '--api', s.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error (validation_failed): The archive is invalid');
    expect(run.stderr).toMatch(/^ {2}format: format must be "ablate-sweep-archive"/m);
    expect((await s.user.listSweeps()).sweeps.length).toBe(before);
  });
});
