import { z } from 'zod';
import { closestName } from '../did-you-mean.js';
import { checkImageDataset, ImageDatasetParams, LearningRateParam, SeedParam } from './shared.params.js';

/**
 * Pretrained extractors known by name: downloaded from their public host on first use, verified
 * and cached by the worker (packages/models/src/extractors/extractor-registry.ts holds the URLs).
 */
export const EXTRACTOR_NAMES = ['mobilenet_v2', 'mobilenet_v2_0.35', 'mobilenet_v1_0.25'] as const;
export type ExtractorName = (typeof EXTRACTOR_NAMES)[number];

/** True for a value of `extractor` that is a name (no slash, no scheme, no `.json`) rather than a URL or path. */
export function looksLikeExtractorName(value: string): boolean {
  return /^[A-Za-z0-9_.-]+$/.test(value) && !/\.json$/i.test(value);
}

/** What is wrong with an extractor name that is not known, or undefined when it is known. */
export function unknownExtractorMessage(name: string): string | undefined {
  if ((EXTRACTOR_NAMES as readonly string[]).includes(name)) return undefined;
  const close = closestName(name, EXTRACTOR_NAMES);
  const vgg = /^vgg/i.test(name) ? ' VGG16 has no public TF.js copy: convert it once to a model.json (docs/templates.md) and give its path.' : '';
  return `unknown extractor "${name}"${close ? ` (did you mean "${close}"?)` : ''}; known: ${EXTRACTOR_NAMES.join(', ')}, or a model.json URL or path.${vgg}`;
}

/**
 * Transfer learning: a frozen pretrained CNN turns each image into features (cached on disk per
 * dataset and extractor), then a random forest or a dense head (400 → 200 → 10) classifies them.
 */
export const TransferParams = z
  .object({
    ...ImageDatasetParams,
    /** A known name (`mobilenet_v2`, see EXTRACTOR_NAMES), or a TF.js `model.json`: an http(s) URL, or a `file://` URL or path inside the worker's data roots (`ABLATE_DATA_ROOTS`). */
    extractor: z.string().min(1, 'give the feature extractor: a name such as mobilenet_v2, or a model.json URL or path'),
    /** `layers` for `tf.loadLayersModel` (Keras-converted), `graph` for `tf.loadGraphModel`. */
    extractorFormat: z.enum(['layers', 'graph']).default('layers'),
    /** Layer whose output are the features (layers models); default: the model's output. */
    featureLayer: z.string().min(1).optional(),
    /** Side images are loaded at for the extractor; default its own input size (224 when it takes any size). */
    inputSize: z.number().int().min(8).max(512).optional(),
    /** Pixel scaling the extractor expects: `0-1`, `-1-1` (MobileNet), `caffe` (VGG: BGR, ImageNet means subtracted), `0-255`; default the named extractor's, else `0-1`. */
    inputRange: z.enum(['0-1', '-1-1', 'caffe', '0-255']).optional(),
    /** Classifier on the features. */
    head: z.enum(['dense', 'random-forest']).default('dense'),
    /** Labelled training images used (the course's few-labels exercise: 100); default all of `trainSize`. */
    labels: z.number().int().min(10).max(40_000).optional(),
    /** Top layers of the extractor to unfreeze and fine-tune after the dense head converged; 0 keeps it frozen. */
    fineTuneLayers: z.number().int().min(0).max(50).default(0),
    /** Epochs of fine-tuning (learning rate / 10). */
    fineTuneEpochs: z.number().int().min(1).max(100).default(3),
    /**
     * Augment the training images each epoch (rotation 15°, shifts, shear and zoom 0.15, flip, as the
     * CNN's `augment`) and pass them through the frozen extractor per batch; validation and test stay
     * un-augmented and cached. Needs `head: dense`; slower, as the extractor runs on every epoch.
     */
    augment: z.boolean().default(false),
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
    const unknown = looksLikeExtractorName(p.extractor) ? unknownExtractorMessage(p.extractor) : undefined;
    if (unknown) ctx.addIssue({ code: 'custom', path: ['extractor'], message: unknown });
    if (p.labels !== undefined && p.labels > p.trainSize) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: `labels must be at most trainSize (${p.trainSize})` });
    }
    if (p.augment && p.head !== 'dense') {
      ctx.addIssue({ code: 'custom', path: ['augment'], message: 'augmentation needs a head trained in epochs: use head: dense (a random forest is fitted once on the cached features), or augment: false' });
    }
    if (p.fineTuneLayers > 0 && (p.head !== 'dense' || p.extractorFormat !== 'layers')) {
      ctx.addIssue({ code: 'custom', path: ['fineTuneLayers'], message: 'fine-tuning needs head: dense and a layers-format extractor' });
    }
  });
export type TransferParams = z.infer<typeof TransferParams>;
