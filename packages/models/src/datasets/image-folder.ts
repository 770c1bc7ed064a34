import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { SeededRng } from '../training/rng.js';
import { DatasetError } from './dataset-error.js';
import type { ImageSet } from './image-set.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);
/** Fixed order seed, so every trial splits a folder the same way. */
const ORDER_SEED = 7;

/** A course project's image folder: one sub-folder per class, decoded and resized to `size`×`size` RGB. */
export interface ImageFolder {
  images: ImageSet;
  classes: string[];
}

/** Reads `root/<class>/*.{jpg,jpeg,png}` in a fixed shuffled order; pixels 0..255, HWC. */
export async function loadImageFolder(root: string, size: number): Promise<ImageFolder> {
  const entries = await readdir(root, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new DatasetError(root, err.code === 'ENOENT' ? 'folder not found' : err.message, err.code === 'ENOENT' ? 'dataset_missing' : 'dataset_corrupt');
  });
  const classes = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (classes.length < 2) throw new DatasetError(root, `needs one sub-folder per class (at least 2), found ${classes.length}`);
  const files: { path: string; label: number }[] = [];
  for (const [label, cls] of classes.entries()) {
    const names = (await readdir(join(root, cls))).filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase())).sort();
    if (names.length === 0) throw new DatasetError(join(root, cls), 'holds no .jpg, .jpeg or .png images');
    for (const name of names) files.push({ path: join(root, cls, name), label });
  }
  const order = new SeededRng(ORDER_SEED).permutation(files.length);
  const per = size * size * 3;
  const pixels = new Float32Array(files.length * per);
  const labels = new Uint8Array(files.length);
  for (let i = 0; i < files.length; i++) {
    const file = files[order[i]!]!;
    pixels.set(await decodeImage(file.path, size), i * per);
    labels[i] = file.label;
  }
  return { images: { pixels, labels, count: files.length, height: size, width: size, channels: 3 }, classes };
}

/** One image as `size`×`size`×3 pixels; a missing, empty, truncated or corrupt file is a DatasetError naming it. */
export async function decodeImage(path: string, size: number): Promise<Uint8Array> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new DatasetError(path, 'file not found', 'dataset_missing');
  if (info.size === 0) throw new DatasetError(path, 'empty file');
  try {
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
    throw new DatasetError(path, `cannot decode the image (${(err as Error).message.split('\n')[0]}); is it truncated or not a JPEG/PNG?`);
  }
}

function expandGray(data: Buffer, size: number): Uint8Array {
  if (data.length !== size * size) throw new Error(`unexpected ${data.length} bytes for a ${size}x${size} image`);
  const out = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) out.fill(data[i]!, i * 3, i * 3 + 3);
  return out;
}
