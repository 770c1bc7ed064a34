import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { centralDifferences, maxRelativeError, randomValues } from '../kernels/testing/conv-reference.js';
import { batchNormTraining } from './batch-norm-training.op.js';
import { FastBatchNormalization, fastBatchNormalization } from './fast-batch-norm.layer.js';

const [N, H, W, C] = [3, 2, 3, 4];
const EPS = 1e-3;

/** Float64 training-mode batch norm over all axes but the last, batch statistics included in the function. */
function refTrainingBatchNorm(x: Float64Array, gamma: Float64Array, beta: Float64Array): Float64Array {
  const count = x.length / C;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  x.forEach((v, i) => (mean[i % C] = (mean[i % C] ?? 0) + v / count));
  x.forEach((v, i) => (variance[i % C] = (variance[i % C] ?? 0) + (v - (mean[i % C] ?? 0)) ** 2 / count));
  return x.map((v, i) => {
    const c = i % C;
    return ((v - (mean[c] ?? 0)) / Math.sqrt((variance[c] ?? 0) + EPS)) * (gamma[c] ?? 0) + (beta[c] ?? 0);
  });
}

function model(fast: boolean): tf.Sequential {
  const bn = { momentum: 0.9, epsilon: EPS };
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: C, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      fast ? fastBatchNormalization(bn) : tf.layers.batchNormalization(bn),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
}

describe.each(['wasm', 'cpu'])('FastBatchNormalization on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it.each([true, false])('batchNormTraining (kernels: %s) matches float64 finite differences, statistics included', (useKernels) => {
    const x = randomValues(N * H * W * C, 61).map((v) => 3 * v + 1);
    const gamma = randomValues(C, 62);
    const beta = randomValues(C, 63);
    const r = randomValues(x.length, 64);
    const want = [
      centralDifferences(x, r, (v) => refTrainingBatchNorm(v, gamma, beta), 1e-4),
      centralDifferences(gamma, r, (v) => refTrainingBatchNorm(x, v, beta), 1e-4),
      centralDifferences(beta, r, (v) => refTrainingBatchNorm(x, gamma, v), 1e-4),
    ];
    const got = tf.tidy(() => {
      const weights = tf.tensor4d(Float32Array.from(r), [N, H, W, C]);
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
        const { y, mean, variance } = batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, EPS, { useKernels });
        tf.dispose([mean, variance]);
        return tf.sum(tf.mul(y, weights));
      };
      const inputs = [tf.tensor4d(Float32Array.from(x), [N, H, W, C]), tf.tensor1d(Float32Array.from(gamma)), tf.tensor1d(Float32Array.from(beta))];
      return tf.grads(f)(inputs).map((g) => g.dataSync());
    });
    ['x', 'gamma', 'beta'].forEach((name, i) => expect(maxRelativeError(got[i] ?? [], want[i] ?? []), name).toBeLessThan(2e-3));
  });

  it('trains exactly like tf.layers.batchNormalization, without leaking tensors', async () => {
    const [stock, fast] = [model(false), model(true)];
    for (const m of [stock, fast]) m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    fast.setWeights(stock.getWeights());
    const xs = tf.randomUniform([5, 6, 6, 2], 0, 255, 'float32', 7);
    const ys = tf.randomNormal([5, 2], 0, 1, 'float32', 8);
    await fast.trainOnBatch(xs, ys);
    const before = tf.memory().numTensors;
    await fast.trainOnBatch(xs, ys);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 2; i++) await stock.trainOnBatch(xs, ys);
    const [a, b] = [stock.getWeights(), fast.getWeights()];
    // Error relative to max(1, |w|): the conv bias before a BN gets a ~0 gradient (BN removes the mean), so a
    // purely relative error would compare float noise, and the moving variance is in the thousands.
    a.forEach((w, i) => {
      const error = tf.tidy(() => tf.sub(w, b[i] ?? w).abs().max().div(tf.maximum(w.abs().max(), 1)).dataSync()[0]);
      expect(error, `weight ${i}`).toBeLessThan(1e-5);
    });
    // Inference uses the moving statistics, still far from the batch ones after two steps: outputs are large.
    const [p, q] = [fast.predict(xs) as tf.Tensor, stock.predict(xs) as tf.Tensor];
    expect(maxRelativeError(p.dataSync(), q.dataSync())).toBeLessThan(1e-5);
    tf.dispose([p, q]);
    tf.dispose([xs, ys]);
    stock.dispose();
    fast.dispose();
  });

  it('round-trips through serialization', async () => {
    const m = model(true);
    const copy = await tf.models.modelFromJSON(m.toJSON(null, false) as Parameters<typeof tf.models.modelFromJSON>[0]);
    expect(copy.layers[1]).toBeInstanceOf(FastBatchNormalization);
    expect(copy.layers[1]?.getConfig()).toEqual(m.layers[1]?.getConfig());
    m.dispose();
    copy.dispose();
  });
});
