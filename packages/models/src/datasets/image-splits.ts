import { join } from 'node:path';
import { resolveCacheRoot } from './cache-dir.js';
import { ensureCifar10, readCifar10 } from './cifar10.js';
import { decodeCacheKey } from './decode-cache.js';
import { DatasetError } from './dataset-error.js';
import { loadImageFiles, shuffled } from './image-folder.js';
import { describeSkipped, scanImageFolder, type FolderLayout, type ImageFile } from './image-folder-layout.js';
import type { ImageSet } from './image-set.js';
import { logSplitSummary } from './split-summary.js';

const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export interface ImageSplitsOptions {
  dataset: 'cifar10' | 'image-folder';
  imageFolder?: string | undefined;
  /** Side image folders are loaded at (CIFAR-10 is always 32); default 32. */
  imageSize?: number | undefined;
  dataDir: string;
  trainSize: number;
  validationSize: number;
  testSize: number;
  /** Decode cache folder; default `<cache root>/decoded` (`resolveCacheRoot()`). */
  decodeCacheDir?: string | undefined;
  log?: ((line: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface ImageSplits {
  train: ImageSet;
  validation: ImageSet;
  test: ImageSet;
  classes: number;
  /** Class names, in label order. */
  classNames: string[];
  /** Changes when the images do (file list, sizes, times, image size): part of derived caches' keys. */
  fingerprint: string;
}

/**
 * Train / validation / test images. CIFAR-10 follows the course: training from data_batch_1
 * (then 3, 4, 5), validation from data_batch_2, test from test_batch. An image folder's own
 * `train/`, `val/`, `test/` folders are used as given (a missing test split is half of val, a
 * missing val split a fifth of train); a folder of class folders alone is split 60 / 20 / 20. The
 * order is fixed, each part capped at the asked size. Logs classes, images per class and split sizes.
 */
export async function loadImageSplits(o: ImageSplitsOptions): Promise<ImageSplits> {
  if (o.dataset === 'cifar10') {
    if (o.imageSize !== undefined && o.imageSize !== 32) throw new DatasetError('imageSize', `CIFAR-10 images are 32×32; imageSize ${o.imageSize} is for image folders`, 'invalid_params');
    const dir = await ensureCifar10({ dataDir: o.dataDir, log: o.log, signal: o.signal });
    const [train, validation, test] = await Promise.all([
      readCifar10(dir, ['data_batch_1.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'], o.trainSize),
      readCifar10(dir, ['data_batch_2.bin'], o.validationSize),
      readCifar10(dir, ['test_batch.bin'], o.testSize),
    ]);
    const splits = { train, validation, test, classes: 10, classNames: CIFAR10_CLASSES, fingerprint: `cifar10:${dir}` };
    logSplitSummary(o.log, `CIFAR-10 (${dir})`, splits);
    return splits;
  }
  if (o.imageFolder === undefined) throw new DatasetError('imageFolder', 'not given', 'invalid_params');
  const layout = await scanImageFolder(o.imageFolder);
  const [train, validation, test] = splitFiles(layout, o);
  const size = o.imageSize ?? 32;
  const decode = { cacheDir: o.decodeCacheDir ?? join(resolveCacheRoot(), 'decoded'), log: o.log };
  const splits = {
    train: await loadImageFiles(train, size, decode),
    validation: await loadImageFiles(validation, size, decode),
    test: await loadImageFiles(test, size, decode),
    classes: layout.classes.length,
    classNames: layout.classes,
    fingerprint: [train, validation, test].map((f) => decodeCacheKey(f, size)).join(':'),
  };
  const skipped = describeSkipped(layout.skipped);
  if (skipped) o.log?.(`${layout.root}: ${skipped}`);
  if (layout.ignored.length > 0) o.log?.(`${layout.root}: ignored folders without images or hidden: ${layout.ignored.join(', ')}`);
  logSplitSummary(o.log, `image folder ${layout.root} at ${size}×${size}`, splits);
  return splits;
}

/** The files of each split in a fixed order, capped at the asked sizes. */
function splitFiles(layout: FolderLayout, o: ImageSplitsOptions): [ImageFile[], ImageFile[], ImageFile[]] {
  const cap = (files: ImageFile[], n: number) => files.slice(0, Math.min(n, files.length));
  const { train, validation, test } = layout.splits;
  const log = (line: string) => o.log?.(`${layout.root}: ${line}`);
  if (!layout.hasSplits) {
    const all = shuffled(train);
    const nTrain = Math.floor(all.length * 0.6);
    const nVal = Math.floor(all.length * 0.2);
    log('no train/ val/ test/ folders: split 60/20/20 in a fixed order');
    return [cap(all.slice(0, nTrain), o.trainSize), cap(all.slice(nTrain, nTrain + nVal), o.validationSize), cap(all.slice(nTrain + nVal), o.testSize)];
  }
  let [t, v, s] = [shuffled(train), validation ? shuffled(validation) : undefined, test ? shuffled(test) : undefined];
  if (!v && !s) {
    throw new DatasetError(layout.root, 'has train/ but neither val/ nor test/; add one, or put the class folders at the top to have them split 60/20/20');
  }
  if (!s) {
    const half = Math.ceil(v!.length / 2);
    [v, s] = [v!.slice(0, half), v!.slice(half)];
    log('no test/ folder: the validation folder is split in half into validation and test');
  } else if (!v) {
    const nVal = Math.floor(t.length * 0.2);
    [t, v] = [t.slice(nVal), t.slice(0, nVal)];
    log('no val/ folder: a fifth of train/ validates');
  }
  return [cap(t, o.trainSize), cap(v, o.validationSize), cap(s, o.testSize)];
}

/** `count` images of `set` from `start`, sharing its memory. */
export function slice(set: ImageSet, start: number, count: number): ImageSet {
  const per = set.height * set.width * set.channels;
  return {
    ...set,
    pixels: set.pixels.subarray(start * per, (start + count) * per),
    labels: set.labels.subarray(start, start + count),
    count,
  };
}
