import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { ablate } from './cli-run.js';

const DAY = 86_400_000;

let root: string;
/** The cache root for the CLI; the other cache variables cleared so the machine's own settings do not leak in. */
let env: Record<string, string>;

async function entry(path: string, bytes: number, daysAgo: number): Promise<void> {
  await writeFile(path, Buffer.alloc(bytes, 1));
  const t = new Date(Date.now() - daysAgo * DAY);
  await utimes(path, t, t);
}

/** Two models (1,000 and 60 bytes), two decoded entries (300 and 200), one features entry (64). */
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ablate-cli-cache-'));
  env = { ABLATE_CACHE_DIR: root, ABLATE_MODEL_CACHE: '', ABLATE_CACHE_MAX_GB: '' };
  for (const d of ['models/mobilenet_v2', 'models/resnet', 'decoded', 'features']) await mkdir(join(root, d), { recursive: true });
  await entry(join(root, 'models/mobilenet_v2/model.json'), 1000, 0);
  await entry(join(root, 'models/resnet/model.json'), 60, 0);
  const t = new Date(Date.now() - 50 * DAY);
  await utimes(join(root, 'models/resnet'), t, t);
  await entry(join(root, 'decoded/a.rgb'), 300, 45);
  await entry(join(root, 'decoded/b.rgb'), 200, 2);
  await entry(join(root, 'features/f.bin'), 64, 5);
});

describe('ablate cache list', () => {
  it('shows each kind with its entries, size and oldest use, as a table and as JSON', async () => {
    const table = await ablate(['cache', 'list'], env);
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n');
    expect(rows[0]).toMatch(/^KIND\s+ENTRIES\s+SIZE\s+OLDEST LAST USE\s+FOLDER$/);
    expect(rows[1]).toMatch(/^models\s+2\s+1.06 kB\s+50 days ago \(\d{4}-\d\d-\d\d\)\s+\S+models$/);
    expect(rows[2]).toMatch(/^decoded\s+2\s+500 B\s+45 days ago/);
    expect(rows[3]).toMatch(/^features\s+1\s+64 B\s+5 days ago/);
    expect(rows[4]).toMatch(/^total\s+5\s+1.62 kB\s+50 days ago/);
    expect(table.stdout).toContain('Each kind is kept under 10 GB (ABLATE_CACHE_MAX_GB)');

    const json = await ablate(['cache', 'list', '--json'], { ...env, ABLATE_CACHE_MAX_GB: '0.5' });
    const parsed = JSON.parse(json.stdout) as { root: string; maxBytesPerKind: number; kinds: { kind: string; entries: number; bytes: number; items: { name: string }[] }[] };
    expect(parsed.root).toBe(root);
    expect(parsed.maxBytesPerKind).toBe(500_000_000);
    expect(parsed.kinds.map((k) => [k.kind, k.entries, k.bytes, k.items.map((i) => i.name)])).toEqual([
      ['models', 2, 1060, ['resnet', 'mobilenet_v2']],
      ['decoded', 2, 500, ['a.rgb', 'b.rgb']],
      ['features', 1, 64, ['f.bin']],
    ]);
  });
});

describe('ablate cache clear', () => {
  it('removes one kind, or entries unused for longer than an age, printing each and the space freed', async () => {
    const byKind = await ablate(['cache', 'clear', '--kind', 'features'], env);
    expect(byKind.code).toBe(0);
    expect(byKind.stdout).toMatch(/^removed features\/f\.bin {2}64 B {2}last used 5 days ago\nRemoved 1 entry, freed 64 B\.\n$/);
    expect(await readdir(join(root, 'features'))).toEqual([]);

    const byAge = await ablate(['cache', 'clear', '--older-than', '30d', '--yes'], env);
    expect(byAge.code).toBe(0);
    expect(byAge.stdout).toContain('removed models/resnet  60 B  last used 50 days ago');
    expect(byAge.stdout).toContain('removed decoded/a.rgb  300 B  last used 45 days ago');
    expect(byAge.stdout).toContain('Removed 2 entries, freed 360 B.');
    expect(await readdir(join(root, 'models'))).toEqual(['mobilenet_v2']);
    expect(await readdir(join(root, 'decoded'))).toEqual(['b.rgb']);

    const none = await ablate(['cache', 'clear', '--kind', 'decoded', '--older-than', '30d'], env);
    expect(none.stdout).toBe('Nothing to remove: no decoded cache entries unused for more than 30d.\n');
  });

  it('refuses an unknown kind, an age without a unit and a bad ABLATE_CACHE_MAX_GB, saying what to write, removing nothing', async () => {
    const kind = await ablate(['cache', 'clear', '--kind', 'images', '--yes'], env);
    expect([kind.code, kind.stderr]).toEqual([1, 'Error: unknown cache kind "images": write one of models, decoded, features\n']);
    const age = await ablate(['cache', 'clear', '--older-than', '3x', '--yes'], env);
    expect([age.code, age.stderr]).toEqual([1, 'Error: --older-than 3x: write a number and a unit, such as 30d, 12h or 90m (units: s, m, h, d, w)\n']);
    const max = await ablate(['cache', 'list'], { ...env, ABLATE_CACHE_MAX_GB: 'lots' });
    expect([max.code, max.stderr]).toEqual([1, 'Error: ABLATE_CACHE_MAX_GB=lots: write the most gigabytes each cache kind may hold, such as 10 or 0.5, or off for no bound\n']);
    expect(await readdir(join(root, 'decoded'))).toEqual(['a.rgb', 'b.rgb']);
  });

  // `script` (util-linux) gives the CLI a terminal, where clear asks before removing anything.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('asks on a terminal without --yes, and removes nothing on a no', async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const onTerminal = (answer: string) => {
      const child = spawn('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(main)} cache clear --kind decoded`, '/dev/null'], {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stdin.end(`${answer}\n`);
      return new Promise<{ code: number | null; out: string }>((resolve) => child.once('exit', (code) => resolve({ code, out })));
    };
    const no = await onTerminal('n');
    expect(no.out).toContain('Remove 2 entries (500 B): the decoded cache entries? [y/N]');
    expect(no.out).toContain('Nothing removed.');
    expect(await readdir(join(root, 'decoded'))).toEqual(['a.rgb', 'b.rgb']);
    const yes = await onTerminal('y');
    expect(yes.out).toContain('Removed 2 entries, freed 500 B.');
    expect(await readdir(join(root, 'decoded'))).toEqual([]);
  });
});
