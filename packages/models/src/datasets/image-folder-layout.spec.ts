import { mkdir, mkdtemp, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadImageSplits } from './image-splits.js';

type Format = 'png' | 'jpeg' | 'webp' | 'gif';

/** A small solid image; red channel = 40 * class index, so a pixel tells the class it came from. */
async function image(path: string, label: number, format: Format = 'png'): Promise<void> {
  const img = sharp({ create: { width: 20, height: 14, channels: 3, background: { r: 40 * label, g: 100, b: 200 } } });
  await img.toFormat(format).toFile(path);
}

/** `<root>/<split>/<class>/<i>.png` for each split and class count given. */
async function folder(layout: Record<string, Record<string, number>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ablate-folder-'));
  for (const [split, classes] of Object.entries(layout)) {
    for (const [label, [cls, n]] of Object.entries(classes).entries()) {
      await mkdir(join(root, split, cls), { recursive: true });
      for (let i = 0; i < n; i++) await image(join(root, split, cls, `${i}.png`), label);
    }
  }
  return root;
}

const sizes = { trainSize: 1000, validationSize: 1000, testSize: 1000 };

async function load(imageFolder: string, extra: { imageSize?: number; decodeCacheDir?: string } = {}) {
  const lines: string[] = [];
  const decodeCacheDir = extra.decodeCacheDir ?? (await mkdtemp(join(tmpdir(), 'ablate-decoded-')));
  const splits = await loadImageSplits({ dataset: 'image-folder', imageFolder, dataDir: tmpdir(), ...sizes, ...extra, decodeCacheDir, log: (l) => lines.push(l) });
  return { splits, lines };
}

describe('image folders as people keep them', () => {
  it('uses train/ val/ test/ as given, ignores hidden and non-class folders, counts skipped files, logs the summary', async () => {
    const root = await folder({ train: { ants: 3, bees: 2 }, val: { ants: 1, bees: 2 }, test: { ants: 1, bees: 1 } });
    await mkdir(join(root, 'logs'));
    await writeFile(join(root, 'logs', 'run.txt'), 'x');
    await mkdir(join(root, 'train', '__pycache__'));
    await mkdir(join(root, 'train', '.ipynb_checkpoints'));
    await image(join(root, 'train', '.ipynb_checkpoints', 'a.png'), 0);
    await writeFile(join(root, 'train', 'ants', 'notes.txt'), 'x');
    await writeFile(join(root, 'train', 'ants', '.DS_Store'), 'x');
    await writeFile(join(root, 'train', 'bees', 'b.bmp'), 'x');
    await image(join(root, 'train', 'bees', 'c.webp'), 1, 'webp');
    await image(join(root, 'train', 'bees', 'd.gif'), 1, 'gif');
    const { splits, lines } = await load(root);
    expect(splits.classNames).toEqual(['ants', 'bees']);
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([7, 3, 2]);
    // every pixel's red channel says its class: the labels follow the folders
    for (const set of [splits.train, splits.validation, splits.test]) {
      for (let i = 0; i < set.count; i++) expect(Math.round(set.pixels[i * 32 * 32 * 3]! / 40)).toBe(set.labels[i]);
    }
    expect(lines).toContain(`${root}: skipped 1 .bmp (unsupported images: convert them to PNG/JPEG); 1 .txt (not images)`);
    expect(lines).toContain(`${root}: ignored folders without images or hidden: logs, train/.ipynb_checkpoints, train/__pycache__`);
    expect(lines).toContain(`data: image folder ${root} at 32×32; 2 classes`);
    expect(lines).toContain('images per class (train/validation/test): ants 3/1/1, bees 4/2/1');
    expect(lines).toContain('split sizes: train 7, validation 3, test 2');
  });

  it('splits val/ in half when there is no test/, and class folders alone 60/20/20', async () => {
    const withVal = await load(await folder({ train: { a: 2, b: 2 }, valid: { a: 2, b: 2 } }));
    expect([withVal.splits.validation.count, withVal.splits.test.count]).toEqual([2, 2]);
    expect(withVal.lines.some((l) => l.endsWith('no test/ folder: the validation folder is split in half into validation and test'))).toBe(true);
    const flat = await load(await folder({ '.': { cats: 5, dogs: 5 } }));
    expect([flat.splits.train.count, flat.splits.validation.count, flat.splits.test.count]).toEqual([6, 2, 2]);
  });

  it('names the classes a split lacks, and the absolute folder when it is missing', async () => {
    const root = await folder({ train: { ants: 1, bees: 1, wasps: 1 }, val: { ants: 1, bees: 1 }, test: { ants: 1 } });
    await expect(load(root)).rejects.toThrow(`${root}: the splits have different classes: validation lacks wasps; test lacks bees, wasps (a class folder counts when it holds at least one image)`);
    await expect(load(join(root, 'nope'))).rejects.toThrow(`${join(root, 'nope')}: folder not found`);
  });

  it('decodes once per file list and size: the second load reads the decode cache, a changed file invalidates it', async () => {
    const root = await folder({ '.': { a: 3, b: 2 } });
    const decodeCacheDir = await mkdtemp(join(tmpdir(), 'ablate-decoded-'));
    const victim = join(root, 'a', '0.png');
    const [atime, mtime] = [new Date(2026, 0, 1), new Date(2026, 0, 2)];
    await utimes(victim, atime, mtime); // whole milliseconds, so utimes can put the same time back below
    const first = await load(root, { imageSize: 24, decodeCacheDir });
    expect(first.lines.filter((l) => l.startsWith('decoded '))).toEqual(['decoded 3 images at 24×24', 'decoded 1 images at 24×24', 'decoded 1 images at 24×24']);
    expect(first.splits.train.height).toBe(24);
    // Garbage of the same size and time in place of an image: only a decode would notice.
    const { size } = await stat(victim);
    const original = await readFile(victim);
    await writeFile(victim, Buffer.alloc(size, 7));
    await utimes(victim, atime, mtime);
    const second = await load(root, { imageSize: 24, decodeCacheDir });
    expect(second.lines.filter((l) => l.includes('from the decode cache'))).toHaveLength(3);
    expect(second.lines.some((l) => l.startsWith('decoded '))).toBe(false);
    expect(second.splits.train.pixels).toEqual(first.splits.train.pixels);
    expect(second.splits.fingerprint).toBe(first.splits.fingerprint);
    // A changed file (new time) is decoded again, and fails here because it is garbage now.
    await utimes(victim, atime, new Date(mtime.getTime() + 5000));
    await expect(load(root, { imageSize: 24, decodeCacheDir })).rejects.toThrow(`${victim}: cannot decode the image`);
    await writeFile(victim, original);
    const third = await load(root, { imageSize: 24, decodeCacheDir });
    expect(third.splits.fingerprint).not.toBe(first.splits.fingerprint);
    // another size is another entry
    const other = await load(root, { imageSize: 16, decodeCacheDir });
    expect(other.lines.filter((l) => l.startsWith('decoded '))).toHaveLength(3);
  });

  it('keeps CIFAR-10 at 32×32', async () => {
    await expect(loadImageSplits({ dataset: 'cifar10', dataDir: tmpdir(), imageSize: 64, ...sizes })).rejects.toThrow('imageSize: CIFAR-10 images are 32×32; imageSize 64 is for image folders');
  });
});
