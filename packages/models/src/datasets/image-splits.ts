import { ensureCifar10, readCifar10 } from './cifar10.js';
import { DatasetError } from './dataset-error.js';
import { loadImageFolder } from './image-folder.js';
import type { ImageSet } from './image-set.js';

export interface ImageSplitsOptions {
  dataset: 'cifar10' | 'image-folder';
  imageFolder?: string | undefined;
  dataDir: string;
  trainSize: number;
  validationSize: number;
  testSize: number;
  log?: ((line: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface ImageSplits {
  train: ImageSet;
  validation: ImageSet;
  test: ImageSet;
  classes: number;
}

/**
 * Train / validation / test images. CIFAR-10 follows the course: training from data_batch_1
 * (then 3, 4, 5), validation from data_batch_2, test from test_batch. An image folder is split
 * 60 / 20 / 20 in a fixed order, each part capped at the asked size.
 */
export async function loadImageSplits(o: ImageSplitsOptions): Promise<ImageSplits> {
  if (o.dataset === 'cifar10') {
    const dir = await ensureCifar10({ dataDir: o.dataDir, log: o.log, signal: o.signal });
    const [train, validation, test] = await Promise.all([
      readCifar10(dir, ['data_batch_1.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'], o.trainSize),
      readCifar10(dir, ['data_batch_2.bin'], o.validationSize),
      readCifar10(dir, ['test_batch.bin'], o.testSize),
    ]);
    return { train, validation, test, classes: 10 };
  }
  if (o.imageFolder === undefined) throw new DatasetError('imageFolder', 'not given', 'invalid_params');
  const { images, classes } = await loadImageFolder(o.imageFolder, 32);
  const nTrain = Math.floor(images.count * 0.6);
  const nVal = Math.floor(images.count * 0.2);
  return {
    train: slice(images, 0, Math.min(nTrain, o.trainSize)),
    validation: slice(images, nTrain, Math.min(nVal, o.validationSize)),
    test: slice(images, nTrain + nVal, Math.min(images.count - nTrain - nVal, o.testSize)),
    classes: classes.length,
  };
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
