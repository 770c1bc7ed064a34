import { z } from 'zod';

/** Seed for weights, shuffling, dropout masks and augmentation; same seed, same trial. */
export const SeedParam = z.number().int().min(0).max(2 ** 31 - 1).default(1);

/** Adam learning rate. */
export const LearningRateParam = z.number().positive().max(1).default(0.001);

/**
 * Where an image template's data comes from. Params are primitives (a sweep spec grids over
 * numbers, strings and booleans), so a folder is named by `imageFolder` next to `dataset`.
 */
export const ImageDatasetParams = {
  /** `cifar10` (downloaded and cached), or `image-folder`: one sub-folder of JPEG/PNG images per class. */
  dataset: z.enum(['cifar10', 'image-folder']).default('cifar10'),
  /** Image folder when `dataset` is `image-folder`: a path inside the worker's data roots (`ABLATE_DATA_ROOTS`); relative to the first. */
  imageFolder: z.string().min(1).optional(),
};

/**
 * Side image folders are decoded and resized to (square RGB) for the CNN and forest templates;
 * CIFAR-10 stays 32. Larger images keep detail and cost time roughly in proportion to the pixels.
 */
export const ImageSizeParam = z.number().int().min(8).max(256).default(32);

/** Adds the "imageSize only resizes image folders" rule (CIFAR-10 is 32×32). */
export function checkImageSize(p: { dataset: string; imageSize: number }, ctx: z.RefinementCtx): void {
  if (p.dataset === 'cifar10' && p.imageSize !== 32) {
    ctx.addIssue({ code: 'custom', path: ['imageSize'], message: `CIFAR-10 images are 32×32; imageSize ${p.imageSize} is for dataset: image-folder` });
  }
}

/** Adds the "imageFolder is required for image-folder, and only then" rule to an image template's schema. */
export function checkImageDataset(p: { dataset: string; imageFolder?: string | undefined }, ctx: z.RefinementCtx): void {
  if (p.dataset === 'image-folder' && p.imageFolder === undefined) {
    ctx.addIssue({ code: 'custom', path: ['imageFolder'], message: 'give imageFolder (a folder with one sub-folder per class) when dataset is image-folder' });
  }
  if (p.dataset !== 'image-folder' && p.imageFolder !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['imageFolder'], message: 'imageFolder is only used with dataset: image-folder' });
  }
}
