import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';

const ACTIVATIONS = ['linear', 'tanh', 'sigmoid', 'relu'] as const;

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? Infinity);
}

describe.each(['wasm', 'cpu'])('dilated tf.layers.conv2d on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it.each(ACTIVATIONS)('with activation %s trains, and its gradients are those of conv2d + bias + activation', async (activation) => {
    const layer = tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: [2, 1], padding: 'same', activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: 'ones' });
    const x = tf.randomNormal([2, 9, 7, 2], 0, 1, 'float32', 5);
    const r = tf.randomNormal([2, 9, 7, 3], 0, 1, 'float32', 6);
    layer.apply(x); // builds the weights
    const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const act = (t: tf.Tensor): tf.Tensor => (activation === 'linear' ? t : tf[activation](t));
    const viaOps = (k: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(act(tf.add(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same', 'NHWC', [2, 1]), b)), r));
    const want = tf.grads(viaOps)([kernel, bias]);
    const got = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)), layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
    expect(got.value.dataSync()[0]).toBeCloseTo(viaOps(kernel, bias).dataSync()[0] ?? NaN, 3);
    const grads = Object.values(got.grads);
    expect(maxAbsDiff(grads[0] as tf.Tensor, want[0] as tf.Tensor)).toBeLessThan(1e-4);
    expect(maxAbsDiff(grads[1] as tf.Tensor, want[1] as tf.Tensor)).toBeLessThan(1e-4);

    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [9, 7, 2] }), layer, tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const history = await model.fit(x, tf.ones([2, 1]), { epochs: 3, verbose: 0 });
    expect(history.history['loss']?.every((l) => Number.isFinite(l))).toBe(true);
    tf.dispose([x, r, ...want]);
    model.dispose();
  });
});
