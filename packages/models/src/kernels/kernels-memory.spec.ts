import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';

/** Tensors the engine tracks and buffers the backend holds: a kernel that forgets a temporary grows the second. */
function counts(): { tensors: number; dataIds: number } {
  return { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() };
}

describe.each(['wasm', 'cpu'])('Ablate kernels leak nothing on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it('conv2d gradients (plain, strided, dilated) and transposed matMuls', () => {
    const x = tf.randomNormal([2, 9, 9, 3]);
    const w = tf.randomNormal([3, 3, 3, 4]);
    const a = tf.randomNormal([5, 7]);
    const b = tf.randomNormal([6, 7]);
    const step = (): void =>
      tf.tidy(() => {
        for (const [stride, dilation] of [[1, 1], [2, 1], [1, 2]] as const) {
          const f = (xi: tf.Tensor, wi: tf.Tensor): tf.Scalar => tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, stride, 'same', 'NHWC', dilation).square().sum();
          for (const g of tf.grads(f)([x, w])) g.dataSync();
        }
        for (const g of tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, false, true).sum())([a, b])) g.dataSync();
      });
    step();
    const before = counts();
    step();
    expect(counts()).toEqual(before);
    tf.dispose([x, w, a, b]);
  });

  it('a training step of a small CNN', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const xs = tf.randomUniform([4, 8, 8, 3]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    await model.trainOnBatch(xs, ys); // the first step creates the optimizer's slots
    const before = counts();
    await model.trainOnBatch(xs, ys);
    tf.tidy(() => (model.predict(xs) as tf.Tensor).dataSync());
    expect(counts()).toEqual(before);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

describe.each(['wasm', 'cpu'])('Relu gradient on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it('routes dy where x > 0 (zero at x = 0, as TF.js)', () => {
    const grad = tf.tidy(() => {
      const x = tf.tensor1d([-2, -0.5, 0, 0.5, 3]);
      const dy = tf.tensor1d([1, 2, 3, 4, 5]);
      return Array.from(tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy).dataSync());
    });
    expect(grad).toEqual([0, 0, 0, 4, 5]);
  });
});
