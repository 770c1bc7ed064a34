import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { maxRelativeError, randomValues } from './testing/conv-reference.js';

/** Gradient of sum(maxPool(x) * r) on the active backend. */
function poolGrad(x: Float32Array, shape: [number, number, number, number], r: Float32Array, size: number, stride: number, pad: 'valid' | 'same'): Float32Array {
  return tf.tidy(() => {
    const f = (t: tf.Tensor): tf.Scalar => {
      const y = tf.maxPool(t as tf.Tensor4D, size, stride, pad);
      return tf.sum(tf.mul(y, tf.tensor(r.subarray(0, y.size), y.shape)));
    };
    return tf.grad(f)(tf.tensor4d(x, shape)).dataSync() as Float32Array;
  });
}

describe('MaxPoolGrad on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each([
    { size: 2, stride: 2, pad: 'valid' as const, shape: [2, 6, 6, 3] as [number, number, number, number] },
    { size: 2, stride: 2, pad: 'valid' as const, shape: [1, 7, 5, 2] as [number, number, number, number] },
    { size: 3, stride: 2, pad: 'same' as const, shape: [1, 7, 5, 2] as [number, number, number, number] },
    { size: 3, stride: 1, pad: 'valid' as const, shape: [1, 5, 6, 2] as [number, number, number, number] },
  ])('matches the cpu backend for pool $size stride $stride $pad', async ({ size, stride, pad, shape }) => {
    const x = Float32Array.from(randomValues(shape.reduce((p, d) => p * d), 51));
    // Ties (as after a ReLU) must go to the first maximum of each window, like the cpu backend.
    for (let i = 0; i < x.length; i += 3) x[i] = 0.5;
    const r = Float32Array.from(randomValues(x.length, 52));
    await tf.setBackend('wasm');
    const wasm = poolGrad(x, shape, r, size, stride, pad);
    await tf.setBackend('cpu');
    const cpu = poolGrad(x, shape, r, size, stride, pad);
    await tf.setBackend('wasm');
    // Overlapping windows add several dy values into one dx; the order (and so the last bit) may differ.
    expect(maxRelativeError(wasm, cpu)).toBeLessThan(1e-6);
  });
});
