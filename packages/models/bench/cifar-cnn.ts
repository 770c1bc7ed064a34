import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from '../src/kernels/index.js';
import { buildCourseCnn } from '../src/templates/cifar10-cnn.template.js';
import { trialRngs } from '../src/training/seeds.js';

/** One bench configuration: the template's own net, or the same net from stock tfjs-layers and tf.train.adam. */
export interface CnnVariant {
  label: string;
  /** `template`: the `cifar10-cnn` template's buildCourseCnn (FastBatchNormalization) and FusedAdam. */
  source: 'stock' | 'template';
  batchNorm: boolean;
}

/**
 * The course's base CIFAR-10 CNN (Conv16-Conv16-Pool-Conv32-Conv32-Pool-Dense500-300-100-10, 3x3 same ReLU),
 * optionally with batch norm on the input and after each conv. The template variants are exactly what the
 * `cifar10-cnn` template trains; the stock ones build the same net from tfjs-layers (BN after each ReLU) and
 * `tf.train.adam`, for comparison.
 */
export function buildCifarCnn({ source, batchNorm }: CnnVariant, seed = 1): tf.LayersModel {
  if (source === 'template') {
    const rngs = trialRngs(seed);
    const model = buildCourseCnn({ dropout: 0, batchNorm, batchNormMomentum: 0.99, batchNormPosition: 'before-activation' }, 10, rngs.init, rngs.train);
    model.compile({ optimizer: fusedAdam(1e-3), loss: 'categoricalCrossentropy' });
    return model;
  }
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [32, 32, 3] }));
  if (batchNorm) model.add(tf.layers.batchNormalization());
  for (const [i, filters] of [16, 16, 32, 32].entries()) {
    model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }) }));
    if (batchNorm) model.add(tf.layers.batchNormalization());
    if (i % 2 === 1) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  }
  model.add(tf.layers.flatten());
  for (const [i, units] of [500, 300, 100].entries()) {
    model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 10 + i }) }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

/**
 * Multiply-add FLOPs (2 per MAC) of one training image: forward plus backward of every conv and dense layer
 * (weight gradient always; input gradient for all but the first weighted layer, which TF.js prunes). Bias, ReLU,
 * pooling, batch norm, softmax and Adam are elementwise and left out (under 1 % here).
 */
export function trainingFlopsPerImage(model: tf.LayersModel): number {
  let total = 0;
  let first = true;
  for (const layer of model.layers) {
    const forward = layerForwardFlops(layer);
    if (forward === 0) continue;
    total += forward * (first ? 2 : 3);
    first = false;
  }
  return total;
}

function layerForwardFlops(layer: tf.layers.Layer): number {
  const kernel = layer.getWeights()[0];
  if (!kernel) return 0;
  const className = layer.getClassName();
  const out = layer.outputShape as number[];
  if (className === 'Conv2D') return 2 * (out[1] ?? 0) * (out[2] ?? 0) * kernel.size;
  if (className === 'Dense') return 2 * kernel.size;
  return 0;
}
