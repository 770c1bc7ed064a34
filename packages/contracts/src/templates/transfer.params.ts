import { z } from 'zod';
import { checkImageDataset, ImageDatasetParams, LearningRateParam, SeedParam } from './shared.params.js';

/**
 * Transfer learning: a frozen pretrained CNN turns each image into features (cached on disk per
 * dataset and extractor), then a random forest or a dense head (400 → 200 → 10) classifies them.
 */
export const TransferParams = z
  .object({
    ...ImageDatasetParams,
    /** TF.js model (`model.json`): an http(s) URL, or a `file://` URL or path inside the worker's data roots (`ABLATE_DATA_ROOTS`). */
    extractor: z.string().min(1, 'give the feature extractor model.json URL or path'),
    /** `layers` for `tf.loadLayersModel` (Keras-converted), `graph` for `tf.loadGraphModel`. */
    extractorFormat: z.enum(['layers', 'graph']).default('layers'),
    /** Layer whose output are the features (layers models); default: the model's output. */
    featureLayer: z.string().min(1).optional(),
    /** Side the images are resized to before the extractor (VGG16: 224). */
    inputSize: z.number().int().min(8).max(512).default(224),
    /** Pixel scaling the extractor expects: `0-1`, `-1-1` (MobileNet), `caffe` (VGG: BGR, ImageNet means subtracted), `0-255`. */
    inputRange: z.enum(['0-1', '-1-1', 'caffe', '0-255']).default('0-1'),
    /** Classifier on the features. */
    head: z.enum(['dense', 'random-forest']).default('dense'),
    /** Labelled training images used (the course's few-labels exercise: 100); default all of `trainSize`. */
    labels: z.number().int().min(10).max(40_000).optional(),
    /** Top layers of the extractor to unfreeze and fine-tune after the dense head converged; 0 keeps it frozen. */
    fineTuneLayers: z.number().int().min(0).max(50).default(0),
    /** Epochs of fine-tuning (learning rate / 10). */
    fineTuneEpochs: z.number().int().min(1).max(100).default(3),
    /** Dense-head training epochs. */
    epochs: z.number().int().min(1).max(500).default(20),
    batchSize: z.number().int().min(1).max(4096).default(64),
    learningRate: LearningRateParam,
    /** Trees when `head` is `random-forest`. */
    trees: z.number().int().min(1).max(500).default(100),
    trainSize: z.number().int().min(10).max(40_000).default(10_000),
    validationSize: z.number().int().min(10).max(10_000).default(1000),
    testSize: z.number().int().min(10).max(10_000).default(10_000),
    seed: SeedParam,
  })
  .strict()
  .superRefine((p, ctx) => {
    checkImageDataset(p, ctx);
    if (p.labels !== undefined && p.labels > p.trainSize) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: `labels must be at most trainSize (${p.trainSize})` });
    }
    if (p.fineTuneLayers > 0 && (p.head !== 'dense' || p.extractorFormat !== 'layers')) {
      ctx.addIssue({ code: 'custom', path: ['fineTuneLayers'], message: 'fine-tuning needs head: dense and a layers-format extractor' });
    }
  });
export type TransferParams = z.infer<typeof TransferParams>;
