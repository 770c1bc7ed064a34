import fc from 'fast-check';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from 'tar';
import { ensureCifar10, readCifar10 } from './cifar10.js';
import { csvSeries, readCsvColumn } from './csv-series.js';
import { DatasetError } from './dataset-error.js';
import { decodeImage, loadImageFolder } from './image-folder.js';
import { bmpBytes, mutated } from '../testing/fuzz-bytes.js';

/**
 * Random and mutated data files: each loader either reads them (and then what it returns is
 * well-formed) or rejects with a DatasetError that names the file, never another exception, a hang
 * or a crash. A failing case prints its seed; `fc.assert(..., { seed, path })` replays it.
 */
const RUNS = Number(process.env['ABLATE_FUZZ_RUNS'] ?? 150);
/** Generous: only a hang (a loop that never ends on a bad file) trips it, never a slow machine. */
const CASE_TIMEOUT_MS = 20_000;

let dir: string;
let seq = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ablate-fuzz-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A fresh folder per case, so one case's files never meet another's. */
async function caseDir(): Promise<string> {
  const d = join(dir, String(seq++));
  await mkdir(d, { recursive: true });
  return d;
}

/** Runs `load`; a rejection must be a DatasetError naming `file`, a result must pass `check`. */
async function okOrDatasetError<T>(file: string, load: () => Promise<T>, check: (value: T) => void): Promise<void> {
  let value: T;
  try {
    value = await load();
  } catch (err) {
    if (!(err instanceof DatasetError)) throw new Error(`expected a DatasetError naming ${file}, got ${String(err)}`, { cause: err });
    expect(err.message).toContain(file);
    return;
  }
  check(value);
}

function cifarRecords(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((label, i) => {
    out[i * 3073] = label;
    for (let p = 1; p < 3073; p++) out[i * 3073 + p] = (p * 7 + i) % 256;
  });
  return out;
}

describe('dataset files under fuzzing', () => {
  it('CIFAR-10 batch files: random or mutated bytes', async () => {
    const valid = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }).map(cifarRecords);
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 3073 * 3 + 2 }), mutated(valid));
    await fc.assert(
      fc.asyncProperty(bytes, fc.integer({ min: 1, max: 4 }), async (data, count) => {
        const d = await caseDir();
        const file = join(d, 'data_batch_1.bin');
        await writeFile(file, data);
        await okOrDatasetError(file, () => readCifar10(d, ['data_batch_1.bin'], count), (set) => {
          expect(set.count).toBe(count);
          expect(set.pixels).toHaveLength(count * 32 * 32 * 3);
          expect(Math.max(...set.labels)).toBeLessThanOrEqual(9);
        });
      }),
      { numRuns: RUNS, timeout: CASE_TIMEOUT_MS },
    );
  });

  it('CIFAR-10 archives: random or mutated .tar.gz bytes in the cache are refused naming the archive, never downloaded over', async () => {
    const src = await caseDir();
    await mkdir(join(src, 'cifar-10-batches-bin'));
    await writeFile(join(src, 'cifar-10-batches-bin', 'test_batch.bin'), cifarRecords([1, 2]));
    await create({ gzip: true, file: join(src, 'a.tar.gz'), cwd: src }, ['cifar-10-batches-bin']);
    const archive = new Uint8Array(await readFile(join(src, 'a.tar.gz')));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 1024 }), mutated(fc.constant(archive))), async (data) => {
        const d = await caseDir();
        const file = join(d, 'cifar-10-binary.tar.gz');
        await writeFile(file, data);
        // The archive is there, so no download starts (the URL would refuse it anyway).
        await okOrDatasetError(file, () => ensureCifar10({ dataDir: d, url: 'http://127.0.0.1:9/never' }), (folder) => {
          expect(folder).toBe(join(d, 'cifar-10-batches-bin'));
        });
      }),
      { numRuns: Math.ceil(RUNS / 3), timeout: CASE_TIMEOUT_MS },
    );
  });

  it('image files: PNG, JPEG and BMP bytes, random, truncated or mutated, under any image extension', async () => {
    const source = sharp({ create: { width: 12, height: 9, channels: 3, background: { r: 200, g: 40, b: 90 } } });
    const [png, jpeg, gray] = await Promise.all([
      source.clone().png().toBuffer(),
      source.clone().jpeg().toBuffer(),
      source.clone().grayscale().png().toBuffer(),
    ]);
    const images = fc.constantFrom(new Uint8Array(png), new Uint8Array(jpeg), new Uint8Array(gray), bmpBytes(5, 4));
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 2048 }), mutated(images));
    const ext = fc.constantFrom('.png', '.jpg', '.jpeg', '.PNG', '.bmp');
    await fc.assert(
      fc.asyncProperty(bytes, ext, async (data, extension) => {
        const d = await caseDir();
        const file = join(d, `img${extension}`);
        await writeFile(file, data);
        await okOrDatasetError(file, () => decodeImage(file, 8), (pixels) => expect(pixels).toHaveLength(8 * 8 * 3));
      }),
      { numRuns: RUNS, timeout: CASE_TIMEOUT_MS },
    );
    // A folder whose images are fuzzed: the error names the bad file (under the folder).
    await fc.assert(
      fc.asyncProperty(fc.array(bytes, { minLength: 2, maxLength: 4 }), async (files) => {
        const root = await caseDir();
        for (const [i, data] of files.entries()) {
          await mkdir(join(root, `class${i % 2}`), { recursive: true });
          await writeFile(join(root, `class${i % 2}`, `${i}.png`), data);
        }
        await okOrDatasetError(root, () => loadImageFolder(root, 8), (f) => expect(f.images.count).toBe(files.length));
      }),
      { numRuns: Math.ceil(RUNS / 3), timeout: CASE_TIMEOUT_MS },
    );
  });

  it('CSV series: random text, random bytes, and tables of extreme, missing or quoted cells', async () => {
    const cell = fc.oneof(
      fc.double().map(String),
      fc.integer().map(String),
      fc.constantFrom('', 'NaN', 'Infinity', '-Infinity', '1e39', '-3.5e38', '0x10', ' 7 ', '"1"', '"2,5"', '"', 'a"b'),
      fc.string({ maxLength: 6 }),
    );
    const table = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 30 }))
      .chain(([cols, rows]) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }))
      .map((rows) => `a,b,c\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const text = fc.oneof(table, fc.string({ unit: 'binary', maxLength: 400 }), mutated(table.map((t) => new TextEncoder().encode(t))));
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom(undefined, 'a', 'c', 'zz'), async (content, column) => {
        const d = await caseDir();
        const file = join(d, 'series.csv');
        await writeFile(file, content);
        await okOrDatasetError(file, () => readCsvColumn(file, column), (values) => {
          expect(values.every((v) => Number.isFinite(v))).toBe(true);
        });
        await okOrDatasetError(file, () => csvSeries({ path: file, column, inputSteps: 4, lookAhead: 1, forecastSteps: 3 }), (w) => {
          expect([...w.trainX, ...w.trainY, ...w.valX, ...w.valY].every((v) => Number.isFinite(v))).toBe(true);
        });
      }),
      { numRuns: RUNS, timeout: CASE_TIMEOUT_MS },
    );
  });
});
