import { access, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from './dataset-error.js';
import { downloadFile } from './download.js';
import type { ImageSet } from './image-set.js';

/** The official binary release. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
/** Folder the archive extracts to; also the layout an offline copy must have. */
export const CIFAR10_FOLDER = 'cifar-10-batches-bin';
const RECORD = 3073;
const SIDE = 32;

export interface EnsureCifar10Options {
  /** Cache folder; may itself be a `cifar-10-batches-bin` folder. */
  dataDir: string;
  url?: string;
  md5?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** The batches folder, downloading, verifying and extracting the official archive when it is not cached yet. */
export async function ensureCifar10(o: EnsureCifar10Options): Promise<string> {
  for (const dir of [join(o.dataDir, CIFAR10_FOLDER), o.dataDir]) {
    if (await exists(join(dir, 'test_batch.bin'))) return dir;
  }
  await mkdir(o.dataDir, { recursive: true });
  const archive = join(o.dataDir, 'cifar-10-binary.tar.gz');
  if (!(await exists(archive))) {
    o.log?.(`CIFAR-10 is not in ${o.dataDir}; downloading it (about 170 MB, once)`);
    await downloadFile({ url: o.url ?? CIFAR10_URL, dest: archive, md5: o.md5 ?? CIFAR10_MD5, log: o.log, signal: o.signal });
  }
  try {
    const { extract } = await import('tar'); // only on first use, not in every trial's start-up
    await extract({ file: archive, cwd: o.dataDir });
  } catch (err) {
    throw new DatasetError(archive, `cannot extract (${(err as Error).message}); delete it to download again`);
  }
  const dir = join(o.dataDir, CIFAR10_FOLDER);
  if (!(await exists(join(dir, 'test_batch.bin')))) throw new DatasetError(archive, `has no ${CIFAR10_FOLDER}/test_batch.bin`);
  return dir;
}

/**
 * The first `count` images of the given batch files (in order) as 32×32×3 HWC pixels 0..255.
 * A missing file, a size that is not whole 3,073-byte records, or a label above 9 is an error
 * naming the file.
 */
export async function readCifar10(dir: string, files: string[], count: number): Promise<ImageSet> {
  const pixels = new Float32Array(count * SIDE * SIDE * 3);
  const labels = new Uint8Array(count);
  let filled = 0;
  for (const name of files) {
    if (filled === count) break;
    const path = join(dir, name);
    const handle = await open(path).catch(() => {
      throw new DatasetError(path, `missing (a CIFAR-10 batches folder holds data_batch_1..5.bin and test_batch.bin)`, 'dataset_missing');
    });
    try {
      const { size } = await handle.stat();
      if (size === 0 || size % RECORD !== 0) {
        throw new DatasetError(path, `truncated or corrupt: ${size} bytes is not a whole number of ${RECORD}-byte records`);
      }
      const take = Math.min(size / RECORD, count - filled);
      const buf = Buffer.alloc(take * RECORD);
      await handle.read(buf, 0, buf.length, 0);
      decodeRecords(buf, take, path, pixels, labels, filled);
      filled += take;
    } finally {
      await handle.close();
    }
  }
  if (filled < count) throw new DatasetError(join(dir, files.join(', ')), `hold ${filled} images, ${count} were asked for`);
  return { pixels, labels, count, height: SIDE, width: SIDE, channels: 3 };
}

function decodeRecords(buf: Buffer, n: number, path: string, pixels: Float32Array, labels: Uint8Array, at: number): void {
  const plane = SIDE * SIDE;
  for (let r = 0; r < n; r++) {
    const rec = r * RECORD;
    const label = buf[rec]!;
    if (label > 9) throw new DatasetError(path, `record ${r} has label ${label}; CIFAR-10 labels are 0..9 (corrupt file?)`);
    labels[at + r] = label;
    const out = (at + r) * plane * 3;
    for (let p = 0; p < plane; p++) {
      pixels[out + p * 3] = buf[rec + 1 + p]!;
      pixels[out + p * 3 + 1] = buf[rec + 1 + plane + p]!;
      pixels[out + p * 3 + 2] = buf[rec + 1 + 2 * plane + p]!;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
