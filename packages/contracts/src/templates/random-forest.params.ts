import { z } from 'zod';
import { checkImageDataset, checkImageSize, ImageDatasetParams, ImageSizeParam, SeedParam } from './shared.params.js';

/** The course's baseline: a random forest on raw pixels (histogram-split forest, see packages/models). */
export const RandomForestParams = z
  .object({
    ...ImageDatasetParams,
    /** Side image folders are loaded at (CIFAR-10: 32). */
    imageSize: ImageSizeParam,
    /** Trees in the forest. */
    trees: z.number().int().min(1).max(500).default(100),
    /** Share of the pixel features considered at each split (0.02: about sqrt(3072) of 3072, scikit-learn's default). */
    maxFeatures: z.number().gt(0).max(1).default(0.02),
    /** Deepest a tree may grow. */
    maxDepth: z.number().int().min(1).max(100).default(20),
    /** Training images. */
    trainSize: z.number().int().min(10).max(40_000).default(10_000),
    /** Test images `test_acc` is measured on. */
    testSize: z.number().int().min(10).max(10_000).default(10_000),
    seed: SeedParam,
  })
  .strict()
  .superRefine((p, ctx) => {
    checkImageDataset(p, ctx);
    checkImageSize(p, ctx);
  });
export type RandomForestParams = z.infer<typeof RandomForestParams>;
