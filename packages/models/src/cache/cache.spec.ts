import { mkdir, mkdtemp, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { boundCacheKind } from './cache-evict.js';
import { parseCacheKind } from './cache-kinds.js';
import { removeCacheEntries, scanCache, selectCacheEntries } from './cache-scan.js';
import { cacheMaxBytes, formatBytes, parseAge } from './cache-settings.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12);

/** A file of `bytes` bytes last used `daysAgo` days before NOW (its mtime); null: written just now. */
async function entry(path: string, bytes: number, daysAgo: number | null): Promise<void> {
  await writeFile(path, Buffer.alloc(bytes, 1));
  if (daysAgo !== null) await used(path, daysAgo);
}

async function used(path: string, daysAgo: number): Promise<void> {
  const t = new Date(NOW - daysAgo * DAY);
  await utimes(path, t, t);
}

let root: string;
let env: NodeJS.ProcessEnv;

/**
 * A cache root with two model folders (one mid-download), three decoded entries and one features
 * entry, plus temporary files of writes in progress that are not entries.
 */
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ablate-cache-'));
  env = { ABLATE_CACHE_DIR: root };
  for (const d of ['models/mobilenet_v2/group1', 'models/resnet', 'decoded', 'features']) await mkdir(join(root, d), { recursive: true });
  await entry(join(root, 'models/mobilenet_v2/model.json'), 100, 0);
  await entry(join(root, 'models/mobilenet_v2/group1/shard1.bin'), 900, 0);
  await used(join(root, 'models/mobilenet_v2/group1'), 0);
  await used(join(root, 'models/mobilenet_v2'), 40);
  await entry(join(root, 'models/resnet/model.json'), 50, 0);
  await entry(join(root, 'models/resnet/model.json.123.abcd.part'), 10, null);
  await used(join(root, 'models/resnet'), 60);
  await entry(join(root, 'decoded/a.rgb'), 300, 45);
  await entry(join(root, 'decoded/b.rgb'), 200, 10);
  await entry(join(root, 'decoded/c.rgb'), 100, 1);
  await entry(join(root, 'decoded/d.99.ffff.part'), 77, 0);
  await entry(join(root, 'features/f.bin'), 64, 90);
  await entry(join(root, 'features/f.bin.99.tmp'), 64, 0);
});

describe('cache listing', () => {
  it('counts and sizes the entries of each kind, oldest use first, leaving out writes in progress', async () => {
    const { root: at, kinds } = await scanCache(env);
    expect(at).toBe(root);
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k]));
    expect(byKind.models!.entries.map((e) => [e.name, e.bytes, e.busy])).toEqual([
      ['resnet', 60, true],
      ['mobilenet_v2', 1000, false],
    ]);
    expect(byKind.decoded!.entries.map((e) => e.name)).toEqual(['a.rgb', 'b.rgb', 'c.rgb']);
    expect([byKind.decoded!.bytes, byKind.features!.bytes, byKind.features!.entries.length]).toEqual([600, 64, 1]);
    expect(byKind.decoded!.oldestLastUseMs).toBe(NOW - 45 * DAY);
    expect(byKind.models!.oldestLastUseMs).toBe(NOW - 60 * DAY);
  });

  it('finds the models under ABLATE_MODEL_CACHE, taking only folders that hold a model.json for models', async () => {
    // The models folder pointed at the cache root itself: decoded/, features/ and models/ hold no model.json.
    const { kinds } = await scanCache({ ...env, ABLATE_MODEL_CACHE: root });
    expect(kinds.find((k) => k.kind === 'models')!.entries).toEqual([]);
    const moved = await scanCache({ ...env, ABLATE_MODEL_CACHE: join(root, 'models') });
    expect(moved.kinds.find((k) => k.kind === 'models')!.entries.map((e) => e.name).sort()).toEqual(['mobilenet_v2', 'resnet']);
  });
});

describe('cache clear', () => {
  it('removes one kind only', async () => {
    const picked = await selectCacheEntries({ kinds: ['decoded'] }, env);
    const { removed, kept } = await removeCacheEntries(picked);
    expect([removed.map((e) => e.name).sort(), kept]).toEqual([['a.rgb', 'b.rgb', 'c.rgb'], []]);
    expect((await readdir(join(root, 'decoded'))).sort()).toEqual(['d.99.ffff.part']);
    expect(await readdir(join(root, 'features'))).toContain('f.bin');
  });

  it('removes entries unused for longer than the age, of every kind, never a model being downloaded', async () => {
    const picked = await selectCacheEntries({ olderThanMs: parseAge('30d'), nowMs: NOW }, env);
    expect(picked.map((e) => `${e.kind}/${e.name}`).sort()).toEqual(['decoded/a.rgb', 'features/f.bin', 'models/mobilenet_v2']);
    await removeCacheEntries(picked);
    expect(await readdir(join(root, 'models'))).toEqual(['resnet']);
    expect((await readdir(join(root, 'decoded'))).sort()).toEqual(['b.rgb', 'c.rgb', 'd.99.ffff.part']);
    expect(await readdir(join(root, 'features'))).toEqual(['f.bin.99.tmp']);
  });
});

describe('the size bound', () => {
  it('evicts the least recently used entries of the written kind only, keeping the new one', async () => {
    const lines: string[] = [];
    const keep = join(root, 'decoded/new.rgb');
    // 600 bytes cached + 250 incoming under a bound of 400: a (45 days) and b (10 days) go, c stays.
    const removed = await boundCacheKind('decoded', join(root, 'decoded'), { incomingBytes: 250, keep, maxBytes: 400, log: (l) => lines.push(l) });
    expect(removed.map((e) => e.name)).toEqual(['a.rgb', 'b.rgb']);
    expect((await readdir(join(root, 'decoded'))).sort()).toEqual(['c.rgb', 'd.99.ffff.part']);
    expect(await readdir(join(root, 'features'))).toContain('f.bin');
    expect(lines).toEqual(['cache: removed the 2 least recently used decoded entries (500 B) to stay under 400 B (ABLATE_CACHE_MAX_GB)']);
  });

  it('never counts nor removes the entry being written, and leaves a folder mid-download', async () => {
    const keep = join(root, 'models/mobilenet_v2');
    const removed = await boundCacheKind('models', join(root, 'models'), { incomingBytes: 1000, keep, maxBytes: 1000 });
    expect(removed).toEqual([]);
    expect((await readdir(join(root, 'models'))).sort()).toEqual(['mobilenet_v2', 'resnet']);
    expect((await stat(join(keep, 'group1/shard1.bin'))).size).toBe(900);
  });

  it('removes a model folder whole, leaving no folder behind', async () => {
    const removed = await boundCacheKind('models', join(root, 'models'), { incomingBytes: 10, keep: join(root, 'models/new'), maxBytes: 100 });
    expect(removed.map((e) => e.name)).toEqual(['mobilenet_v2']);
    expect(await readdir(join(root, 'models'))).toEqual(['resnet']);
  });
});

describe('cache settings', () => {
  it('reads ABLATE_CACHE_MAX_GB in decimal gigabytes, 10 by default, off for none', () => {
    expect(cacheMaxBytes({})).toBe(10e9);
    expect(cacheMaxBytes({ ABLATE_CACHE_MAX_GB: '0.5' })).toBe(0.5e9);
    expect(cacheMaxBytes({ ABLATE_CACHE_MAX_GB: 'off' })).toBe(Infinity);
    expect(() => cacheMaxBytes({ ABLATE_CACHE_MAX_GB: '-1' })).toThrow('ABLATE_CACHE_MAX_GB=-1: write the most gigabytes each cache kind may hold, such as 10 or 0.5, or off for no bound');
    expect(() => cacheMaxBytes({ ABLATE_CACHE_MAX_GB: '0' })).toThrow(/such as 10 or 0.5/);
  });

  it('refuses an age or a kind it does not know, saying what to write', () => {
    expect([parseAge('30d'), parseAge('12h'), parseAge('90m'), parseAge('2w'), parseAge('1.5h')]).toEqual([30 * DAY, DAY / 2, 5_400_000, 14 * DAY, 5_400_000]);
    expect(() => parseAge('3x')).toThrow('--older-than 3x: write a number and a unit, such as 30d, 12h or 90m (units: s, m, h, d, w)');
    expect(() => parseAge('30')).toThrow(/write a number and a unit/);
    expect(parseCacheKind('Decoded')).toBe('decoded');
    expect(() => parseCacheKind('images')).toThrow('unknown cache kind "images": write one of models, decoded, features');
    expect([formatBytes(0), formatBytes(812_000), formatBytes(35_100_000), formatBytes(1_240_000_000), formatBytes(10e9), formatBytes(5000)]).toEqual(['0 B', '812 kB', '35.1 MB', '1.24 GB', '10 GB', '5 kB']);
  });
});
