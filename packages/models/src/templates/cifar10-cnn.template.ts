import * as tf from '@tensorflow/tfjs';
import type { Cifar10CnnParams } from '@ablate/contracts';
import { fastBatchNormalization } from '../layers/index.js';
import { loadImageSplits } from '../datasets/image-splits.js';
import { splitTensors } from '../datasets/image-set.js';
import { standardizeSplits, type Standardization } from '../datasets/standardize.js';
import { augmentImages } from '../training/augment.js';
import { evaluate } from '../training/evaluate.js';
import { batchNormMomentum, trainingSteps } from '../training/batch-norm-momentum.js';
import { categoricalAccuracy, categoricalCrossentropy } from '../training/losses.js';
import type { SeededRng } from '../training/rng.js';
import { SeededDropout } from '../training/seeded-dropout.js';
import { trialRngs } from '../training/seeds.js';
import { trainModel } from '../training/train-loop.js';
import { finalMetrics } from './final-metrics.js';
import { writeModelExport } from '../export/model-export.js';
import { join } from 'node:path';
import { fusedAdam } from '../kernels/index.js';
import type { TemplateRunner } from './template.types.js';

/**
 * The course's base CNN: Conv16-Conv16-Pool-Conv32-Conv32-Pool-Dense500-300-100-10, 3×3 "same"
 * ReLU convolutions; batch norm on the input and after each convolution (between the convolution
 * and its ReLU, or after the ReLU), dropout before each dense layer.
 */
export function buildCourseCnn(
  p: Pick<Cifar10CnnParams, 'dropout' | 'batchNorm' | 'batchNormPosition'> & { batchNormMomentum: number; imageSize?: number },
  classes: number,
  init: SeededRng,
  train: SeededRng,
): tf.Sequential {
  const glorot = () => tf.initializers.glorotUniform({ seed: init.seed() });
  const model = tf.sequential();
  const side = p.imageSize ?? 32; // image folders load at `imageSize`; after two poolings Flatten sees (side / 4)² × 32
  model.add(tf.layers.inputLayer({ inputShape: [side, side, 3] }));
  if (p.batchNorm) model.add(fastBatchNormalization({ momentum: p.batchNormMomentum }));
  const normBeforeRelu = p.batchNorm && p.batchNormPosition === 'before-activation';
  const conv = (filters: number) => {
    model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: normBeforeRelu ? 'linear' : 'relu', kernelInitializer: glorot() }));
    if (p.batchNorm) model.add(fastBatchNormalization({ momentum: p.batchNormMomentum }));
    if (normBeforeRelu) model.add(tf.layers.activation({ activation: 'relu' }));
  };
  conv(16);
  conv(16);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  conv(32);
  conv(32);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  for (const units of [500, 300, 100, classes]) {
    if (p.dropout > 0) model.add(new SeededDropout(p.dropout, train));
    const activation = units === classes ? 'softmax' : 'relu';
    model.add(tf.layers.dense({ units, activation, kernelInitializer: glorot() }));
  }
  return model;
}

/** `auto`: scaled to [0, 1], except with batch norm, where the course feeds raw 0..255 pixels. */
export function standardizationOf(p: Pick<Cifar10CnnParams, 'standardization' | 'batchNorm'>): Standardization {
  if (p.standardization !== 'auto') return p.standardization;
  return p.batchNorm ? 'none' : 'range';
}

/** A transfer trial's `inputRange` for a model trained on these inputs (null: per-channel z-scores, which it cannot replay). */
export function inputRangeOf(s: Standardization): '0-1' | '0-255' | null {
  return s === 'range' ? '0-1' : s === 'none' ? '0-255' : null;
}

/** The course's CIFAR-10 lesson: one knob away from the base CNN per trial. */
export const runCifar10Cnn: TemplateRunner<Cifar10CnnParams> = async (ctx) => {
  const p = ctx.params;
  const data = await loadImageSplits({ ...p, dataDir: ctx.dataDir, log: ctx.log, signal: ctx.signal });
  const raw = splitTensors(data, data.classes);
  const x = standardizeSplits(standardizationOf(p), raw.train.x, { train: raw.train.x, validation: raw.validation.x, test: raw.test.x });
  tf.dispose([raw.train.x, raw.validation.x, raw.test.x]);
  const rngs = trialRngs(p.seed);
  const momentum = batchNormMomentum(p.batchNormMomentum, trainingSteps(data.train.count, p.batchSize, p.epochs));
  if (p.batchNorm) ctx.log?.(`batch norm momentum ${momentum.toFixed(4)}${p.batchNormMomentum === undefined ? ' (chosen from the run\'s length)' : ''}`);
  const model = buildCourseCnn({ ...p, batchNormMomentum: momentum }, data.classes, rngs.init, rngs.train);
  const optimizer = fusedAdam(p.learningRate);
  const metricFns = { loss: categoricalCrossentropy, acc: categoricalAccuracy };
  try {
    const result = await trainModel({
      model, optimizer, rng: rngs.train, epochs: p.epochs, batchSize: p.batchSize,
      train: { x: x.train, y: raw.train.y }, validation: { x: x.validation, y: raw.validation.y },
      loss: { name: 'loss', fn: categoricalCrossentropy }, metrics: { acc: categoricalAccuracy },
      ...(p.augment ? { augment: augmentImages(p) } : {}),
      ...(p.patience > 0 ? { earlyStopping: { monitor: 'val_loss', goal: 'minimize' as const, patience: p.patience } } : {}),
      onEpoch: ctx.onEpoch, signal: ctx.signal, checkpointDir: ctx.checkpointDir, log: ctx.log, objective: ctx.objective,
      // the stored checkpoint carries the model as TF.js model.json (GET /api/trials/:id/model)
      onCheckpoint: (weights, epoch) => writeModelExport(join(ctx.checkpointDir!, 'model'), model, weights, { template: 'cifar10-cnn', epoch, inputRange: inputRangeOf(standardizationOf(p)), classes: data.classes }),
    });
    const test = await evaluate(model, { x: x.test, y: raw.test.y }, metricFns, 256);
    const metrics = { ...finalMetrics(result, ['val_acc', 'val_loss']), test_acc: test['acc']!, test_loss: test['loss']! };
    return { step: result.step, scoreStep: result.bestEpoch, metrics };
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([x.train, x.validation, x.test, raw.train.y, raw.validation.y, raw.test.y]);
  }
};
