import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { TransferParams } from '@ablate/contracts';
import { loadImageSplits, slice } from '../datasets/image-splits.js';
import type { ImageSet } from '../datasets/image-set.js';
import { splitTensors, toTensors } from '../datasets/image-set.js';
import { evaluate } from '../training/evaluate.js';
import { categoricalAccuracy, categoricalCrossentropy } from '../training/losses.js';
import type { SeededRng } from '../training/rng.js';
import { trialRngs } from '../training/seeds.js';
import { trainModel } from '../training/train-loop.js';
import { resolveCacheRoot, resolveModelCacheDir } from '../datasets/cache-dir.js';
import { isInside } from '../datasets/data-roots.js';
import { DatasetError } from '../datasets/dataset-error.js';
import { cachedFeatures } from '../extractors/feature-cache.js';
import { resolveExtractor, type ResolvedExtractor } from '../extractors/resolve-extractor.js';
import { loadFeatureExtractor, type FeatureExtractor } from './feature-extractor.js';
import { finalMetrics } from './final-metrics.js';
import { forestAccuracy } from './random-forest.js';
import { fusedAdam } from '../kernels/index.js';
import { TrialError } from '../trial-error.js';
import type { TemplateContext, TemplateResult, TemplateRunner } from './template.types.js';
import { augmentedFeatures } from './transfer-augment.js';
import { fineTune } from './transfer-fine-tune.js';

const metricFns = { loss: categoricalCrossentropy, acc: categoricalAccuracy };

/** The dense head on top of the features: 400 → 200 → classes. */
export function buildDenseHead(inputDim: number, classes: number, init: SeededRng): tf.Sequential {
  const glorot = () => tf.initializers.glorotUniform({ seed: init.seed() });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [inputDim], units: 400, activation: 'relu', kernelInitializer: glorot() }),
      tf.layers.dense({ units: 200, activation: 'relu', kernelInitializer: glorot() }),
      tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: glorot() }),
    ],
  });
}

/** Transfer learning from a frozen pretrained CNN, with a random-forest or dense head. */
export const runTransfer: TemplateRunner<TransferParams> = async (ctx) => {
  const p = ctx.params;
  // The extractor first: image folders load at its input size, and a model that does not fit fails before any data is read.
  const { resolved, extractor } = await loadExtractor(p, ctx);
  try {
    // CIFAR-10 stays 32×32 and is resized per batch in prepare(); a folder is decoded straight at the extractor's size.
    const imageSize = p.dataset === 'image-folder' ? extractor.inputSize : undefined;
    const data = await loadImageSplits({ ...p, imageSize, dataDir: ctx.dataDir, log: ctx.log, signal: ctx.signal });
    const train = slice(data.train, 0, Math.min(p.labels ?? p.trainSize, data.train.count));
    const features = async (split: string, set: ImageSet) => {
      const { path, stamp, format, featureLayer, pooling, inputRange } = resolved;
      const key = JSON.stringify([path, stamp, format, featureLayer, pooling, extractor.inputSize, inputRange, p.dataset, p.imageFolder, split, set.count, data.fingerprint]);
      return { ...(await cachedFeatures(extractor, set, key, resolveCacheRoot(), ctx.log)), labels: set.labels };
    };
    // Augmented training images change every epoch, so their features are computed per batch, never cached.
    const ftrain = p.augment ? null : await features('train', train);
    const [fval, ftest] = [await features('validation', data.validation), await features('test', data.test)];
    if (p.head === 'random-forest') {
      // the params refuse augment with this head; the forest is fitted once, on cached features
      if (!ftrain) throw new TrialError('invalid_params', 'augmentation needs a head trained in epochs: use head: dense, or augment: false');
      const forest = { trees: p.trees, maxFeatures: 1 / Math.sqrt(ftrain.dim), maxDepth: 20, seed: p.seed };
      const testAcc = forestAccuracy(forest, data.classes, ftrain, ftest);
      await ctx.onEpoch?.(1, { test_acc: testAcc });
      return { step: 1, metrics: { test_acc: testAcc } };
    }
    return await denseHead(ctx, extractor, { train, data }, [ftrain, fval, ftest]);
  } finally {
    extractor.dispose();
  }
};

/**
 * The extractor, resolved (downloaded on first use) and loaded. A cached model that vanished in
 * between (another trial's download evicted it under ABLATE_CACHE_MAX_GB) is fetched again, once.
 */
async function loadExtractor(p: TransferParams, ctx: TemplateContext<TransferParams>): Promise<{ resolved: ResolvedExtractor; extractor: FeatureExtractor }> {
  const resolve = () => resolveExtractor(p, { log: ctx.log, signal: ctx.signal });
  const resolved = await resolve();
  try {
    return { resolved, extractor: await loadFeatureExtractor(resolved) };
  } catch (err) {
    const evicted = err instanceof DatasetError && err.code === 'dataset_missing' && isInside(resolved.path, resolveModelCacheDir());
    if (!evicted) throw err;
    ctx.log?.(`${err.message}: the model left the cache while loading; fetching it again`);
    const again = await resolve();
    return { resolved: again, extractor: await loadFeatureExtractor(again) };
  }
}

type Features = { data: Float32Array; dim: number; labels: Uint8Array };

/** The dense head on cached features; with `augment`, on the training images augmented and extracted per batch (`ftrain` null). */
async function denseHead(
  ctx: TemplateContext<TransferParams>, extractor: FeatureExtractor,
  images: { train: ImageSet; data: { validation: ImageSet; test: ImageSet; classes: number } },
  [ftrain, fval, ftest]: [Features | null, Features, Features],
): Promise<TemplateResult> {
  const p = ctx.params;
  const classes = images.data.classes;
  const asTensors = (f: Features) => ({
    x: tf.tensor2d(f.data, [f.labels.length, f.dim]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(f.labels, 'int32'), classes)),
  });
  const train = ftrain ? asTensors(ftrain) : toTensors(images.train, 0, images.train.count, classes);
  const [validation, test] = [asTensors(fval), asTensors(ftest)];
  if (!ftrain) ctx.log?.(`augmenting the ${images.train.count} training images every epoch (rotation 15°, shifts, shear and zoom 0.15, flip); their features are extracted per batch`);
  const rngs = trialRngs(p.seed);
  const head = buildDenseHead(fval.dim, classes, rngs.init);
  const optimizer = fusedAdam(p.learningRate);
  try {
    const result = await trainModel({
      model: head, optimizer, train, validation, rng: rngs.train, epochs: p.epochs, batchSize: p.batchSize,
      ...(ftrain ? {} : { augment: augmentedFeatures(extractor) }),
      loss: { name: 'loss', fn: categoricalCrossentropy }, metrics: { acc: categoricalAccuracy },
      onEpoch: ctx.onEpoch, signal: ctx.signal, log: ctx.log, objective: ctx.objective,
      ...(ctx.checkpointDir ? { checkpointDir: join(ctx.checkpointDir, 'head') } : {}),
    });
    if (p.fineTuneLayers > 0 && extractor.trunk) {
      const imgs = splitTensors({ ...images.data, train: images.train }, classes);
      try {
        return await fineTune(ctx, extractor, head, imgs, result.step, rngs.train);
      } finally {
        tf.dispose(imgs);
      }
    }
    const t = await evaluate(head, test, metricFns, 256);
    return { step: result.step, scoreStep: result.bestEpoch, metrics: { ...finalMetrics(result, ['val_acc', 'val_loss']), test_acc: t['acc']!, test_loss: t['loss']! } };
  } finally {
    head.dispose();
    optimizer.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y, test.x, test.y]);
  }
}
