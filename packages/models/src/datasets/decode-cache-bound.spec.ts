import { mkdir, mkdtemp, readdir, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadImageFolder } from './image-folder.js';

/** 4 images: 768 bytes decoded at 8×8, 1,728 at 12×12. A bound of 2,000 bytes holds one size, not both. */
const BOUND_GB = '0.000002';

let root: string;
let cacheDir: string;
let lines: string[];
const log = (line: string) => lines.push(line);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ablate-bound-images-'));
  cacheDir = await mkdtemp(join(tmpdir(), 'ablate-bound-cache-'));
  lines = [];
  for (const [cls, rgb] of [['cats', { r: 250, g: 10, b: 10 }], ['dogs', { r: 10, g: 10, b: 250 }]] as const) {
    await mkdir(join(root, cls));
    for (let i = 0; i < 2; i++) await sharp({ create: { width: 20, height: 16, channels: 3, background: rgb } }).png().toFile(join(root, cls, `${i}.png`));
  }
  vi.stubEnv('ABLATE_CACHE_MAX_GB', BOUND_GB);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('decode cache under the size bound', () => {
  it('records each read as a use, and decodes again an entry the bound evicted', async () => {
    const first = await loadImageFolder(root, 8, { cacheDir, log });
    const [entry8] = await readdir(cacheDir);
    expect(entry8).toMatch(/\.rgb$/);
    // A read moves the entry's mtime (its last use) even where atime is not kept.
    const old = new Date(Date.UTC(2020, 0, 1));
    await utimes(join(cacheDir, entry8!), old, old);
    await loadImageFolder(root, 8, { cacheDir, log });
    expect(lines.at(-1)).toBe('4 images at 8×8 from the decode cache');
    expect((await stat(join(cacheDir, entry8!))).mtimeMs).toBeGreaterThan(old.getTime());

    // 12×12 does not fit beside 8×8: the 8×8 entry goes, the new one stays.
    await loadImageFolder(root, 12, { cacheDir, log });
    expect(lines).toContain('cache: removed the 1 least recently used decoded entries (768 B) to stay under 2 kB (ABLATE_CACHE_MAX_GB)');
    const afterEvict = await readdir(cacheDir);
    expect(afterEvict).toHaveLength(1);
    expect(afterEvict).not.toContain(entry8);

    // The reader finds its entry gone and decodes again, to the same pixels.
    const again = await loadImageFolder(root, 8, { cacheDir, log });
    expect(lines.at(-1)).toBe('decoded 4 images at 8×8');
    expect(again.images.pixels).toEqual(first.images.pixels);
    expect(await readdir(cacheDir)).toEqual([entry8]);
  });

  it('fails the write naming what to put in a bad ABLATE_CACHE_MAX_GB', async () => {
    vi.stubEnv('ABLATE_CACHE_MAX_GB', 'lots');
    await expect(loadImageFolder(root, 8, { cacheDir, log })).rejects.toThrow('ABLATE_CACHE_MAX_GB=lots: write the most gigabytes each cache kind may hold, such as 10 or 0.5, or off for no bound');
  });
});
