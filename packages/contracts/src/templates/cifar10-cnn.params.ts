import { z } from 'zod';
import { checkImageDataset, checkImageSize, ImageDatasetParams, ImageSizeParam, LearningRateParam, SeedParam } from './shared.params.js';

const Fraction = z.number().min(0).max(1);

/**
 * The course's CIFAR-10 CNN (Conv16-Conv16-Pool-Conv32-Conv32-Pool-Dense500-300-100-10) with the
 * lesson's knobs: dropout, batch norm, input standardization, augmentation, early stopping.
 */
export const Cifar10CnnParams = z
  .object({
    ...ImageDatasetParams,
    /** Side image folders are loaded at (CIFAR-10: 32). */
    imageSize: ImageSizeParam,
    /** Dropout rate before each dense layer (the course uses 0.3), 0 disables it. */
    dropout: z.number().min(0).max(0.9).default(0),
    /** Batch norm on the input and after each convolution. */
    batchNorm: z.boolean().default(false),
    /**
     * Momentum of batch norm's moving mean and variance. Unset: 0.99 (the Keras default) for runs of
     * 1,000 steps or more, else 1 - 10 / steps (at least 0.5), so the averages settle in short runs.
     */
    batchNormMomentum: z.number().min(0).max(0.9999).optional(),
    /**
     * Where each convolution's batch norm sits: between the convolution and its ReLU (conv → BN →
     * ReLU, as in the batch-norm paper; the default) or after the ReLU (conv → ReLU → BN). At the
     * course's sizes the first beats the base CNN by about 2 points over three seeds and the second does not (docs/reproduction.md).
     */
    batchNormPosition: z.enum(['before-activation', 'after-activation']).default('before-activation'),
    /**
     * Input scaling. `auto`: divide by 255 (`range`), except with batch norm, where the input is fed
     * unscaled as the course does. `zscore` uses per-channel statistics of the training images only.
     */
    standardization: z.enum(['auto', 'none', 'range', 'zscore']).default('auto'),
    /** On-the-fly augmentation of training batches (never validation or test). */
    augment: z.boolean().default(false),
    /** Largest random rotation, degrees. */
    rotation: z.number().min(0).max(180).default(15),
    /** Largest horizontal shift, as a fraction of the width. */
    widthShift: Fraction.default(0.15),
    /** Largest vertical shift, as a fraction of the height. */
    heightShift: Fraction.default(0.15),
    /** Largest shear (Keras' shear_range, radians). */
    shear: Fraction.default(0.15),
    /** Largest zoom in or out (scale in [1 - zoom, 1 + zoom]). */
    zoom: Fraction.default(0.15),
    /** Mirror half of the images left-right. */
    horizontalFlip: z.boolean().default(true),
    /** Training epochs (an upper bound under early stopping). */
    epochs: z.number().int().min(1).max(500).default(10),
    /** Mini-batch size. */
    batchSize: z.number().int().min(1).max(4096).default(64),
    learningRate: LearningRateParam,
    /** Early stopping: epochs without a better `val_loss` before stopping (best weights kept); 0 disables it. */
    patience: z.number().int().min(0).max(100).default(0),
    /** Training images (CIFAR-10: training batch 1, then batches 3 to 5 when more are asked for). */
    trainSize: z.number().int().min(10).max(40_000).default(10_000),
    /** Validation images (CIFAR-10: taken from training batch 2). */
    validationSize: z.number().int().min(10).max(10_000).default(10_000),
    /** Test images the final `test_acc` is measured on. */
    testSize: z.number().int().min(10).max(10_000).default(10_000),
    seed: SeedParam,
  })
  .strict()
  .superRefine((p, ctx) => {
    checkImageDataset(p, ctx);
    checkImageSize(p, ctx);
  });
export type Cifar10CnnParams = z.infer<typeof Cifar10CnnParams>;
