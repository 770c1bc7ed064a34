import { stat } from 'node:fs/promises';
import { SeededRng } from '../training/rng.js';
import { decodeCacheKey, readDecodeCache, writeDecodeCache } from './decode-cache.js';
import { DatasetError } from './dataset-error.js';
import { scanImageFolder, type ImageFile } from './image-folder-layout.js';
import type { ImageSet } from './image-set.js';

/** Images decoded at once: 300 JPEGs of 500×375 to 32×32 took 2.1 s one at a time, 1.1-1.5 s four at a time (2 busy cores). */
const DECODES_IN_FLIGHT = 4;
/** Fixed order seed, so every trial splits a folder the same way. */
const ORDER_SEED = 7;

/** A course project's image folder: one sub-folder per class, decoded and resized to `size`×`size` RGB. */
export interface ImageFolder {
  images: ImageSet;
  classes: string[];
}

export interface DecodeOptions {
  /** Decode cache folder (`<cache root>/decoded`); none: decode every time. */
  cacheDir?: string | undefined;
  log?: ((line: string) => void) | undefined;
}

/** Every image of `root/<class>/` (any split folders ignored) in a fixed shuffled order; pixels 0..255, HWC. */
export async function loadImageFolder(root: string, size: number, o: DecodeOptions = {}): Promise<ImageFolder> {
  const layout = await scanImageFolder(root);
  const files = [...Object.values(layout.splits)].flat();
  return { images: await loadImageFiles(shuffled(files), size, o), classes: layout.classes };
}

/** `files` in a fixed pseudo-random order (the same in every trial). */
export function shuffled(files: readonly ImageFile[]): ImageFile[] {
  return Array.from(new SeededRng(ORDER_SEED).permutation(files.length), (i) => files[i]!);
}

/** The files in their order, decoded (or read from the decode cache) at `size`×`size`×3. */
export async function loadImageFiles(files: readonly ImageFile[], size: number, o: DecodeOptions = {}): Promise<ImageSet> {
  const per = size * size * 3;
  const key = decodeCacheKey(files, size);
  let bytes = o.cacheDir ? await readDecodeCache(o.cacheDir, key, files.length * per) : null;
  if (bytes) {
    o.log?.(`${files.length} images at ${size}×${size} from the decode cache`);
  } else {
    const out = new Uint8Array(files.length * per);
    // A few decodes in flight keep sharp's thread pool busy while JavaScript reads the next file.
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < files.length; i = next++) out.set(await decodeImage(files[i]!.path, size), i * per);
    };
    await Promise.all(Array.from({ length: DECODES_IN_FLIGHT }, worker));
    bytes = out;
    if (o.cacheDir) await writeDecodeCache(o.cacheDir, key, bytes, o.log);
    o.log?.(`decoded ${files.length} images at ${size}×${size}`);
  }
  return { pixels: Float32Array.from(bytes), labels: Uint8Array.from(files, (f) => f.label), count: files.length, height: size, width: size, channels: 3 };
}

/**
 * sharp (libvips) is loaded on the first image, not with the package: a trial process that trains
 * on MNIST or CIFAR-10 batches never pays its ~0.2 s of start-up.
 */
const loadSharp = async () => (await import('sharp')).default;

/** One image as `size`×`size`×3 pixels; a missing, empty, truncated or corrupt file is a DatasetError naming it. */
export async function decodeImage(path: string, size: number): Promise<Uint8Array> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new DatasetError(path, 'file not found', 'dataset_missing');
  if (info.size === 0) throw new DatasetError(path, 'empty file');
  try {
    const sharp = await loadSharp();
    const { data } = await sharp(path, { failOn: 'truncated' })
      .removeAlpha()
      .toColorspace('srgb')
      .resize(size, size, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (data.length !== size * size * 3) {
      // grayscale images come back with one channel
      return expandGray(data, size);
    }
    return data;
  } catch (err) {
    throw new DatasetError(path, `cannot decode the image (${(err as Error).message.split('\n')[0]}); is it truncated or not an image?`);
  }
}

function expandGray(data: Buffer, size: number): Uint8Array {
  if (data.length !== size * size) throw new Error(`unexpected ${data.length} bytes for a ${size}x${size} image`);
  const out = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) out.fill(data[i]!, i * 3, i * 3 + 3);
  return out;
}
