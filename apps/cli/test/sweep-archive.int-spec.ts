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
    expect(copy.sweep).toEqual({ ...original.sweep, id: newId, project: 'restored', spec: { ...original.sweep.spec, project: 'restored' } });
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
