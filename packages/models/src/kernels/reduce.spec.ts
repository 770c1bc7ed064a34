import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { maxRelativeError, randomValues } from './testing/conv-reference.js';

/** Float64 reduction of a row-major tensor over the given axes (sum, or mean). */
function refReduce(x: Float64Array, shape: number[], axes: number[], mean: boolean): Float64Array {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float64Array(outShape.reduce((p, d) => p * d, 1));
  const count = axes.reduce((p, a) => p * (shape[a] ?? 1), 1);
  x.forEach((v, flat) => {
    let rest = flat;
    let index = 0;
    let stride = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      const d = shape[i] ?? 1;
      const coord = rest % d;
      rest = Math.floor(rest / d);
      if (!axes.includes(i)) index += coord * stride;
      stride *= outShape[i] ?? 1;
    }
    out[index] = (out[index] ?? 0) + (mean ? v / count : v);
  });
  return out;
}

describe('Sum and Mean on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const shape = [3, 4, 5, 6];
  it.each([
    { axis: [0, 1, 2], keepDims: false },
    { axis: [0, 1, 2], keepDims: true },
    { axis: [2, 0, 1], keepDims: false },
    { axis: [0], keepDims: false },
    { axis: [-4, -3], keepDims: true },
    { axis: [1, 2], keepDims: false },
    { axis: [3], keepDims: true },
    { axis: [0, 1, 2, 3], keepDims: false },
  ])('axis $axis keepDims $keepDims', ({ axis, keepDims }) => {
    const values = randomValues(shape.reduce((p, d) => p * d), 71);
    const axes = axis.map((a) => (a < 0 ? a + shape.length : a));
    for (const mean of [false, true]) {
      const got = tf.tidy(() => {
        const x = tf.tensor(Float32Array.from(values), shape);
        const y = mean ? tf.mean(x, axis, keepDims) : tf.sum(x, axis, keepDims);
        const wantShape = keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
        expect(y.shape).toEqual(wantShape);
        return y.dataSync();
      });
      expect(maxRelativeError(got, refReduce(values, shape, axes, mean))).toBeLessThan(1e-5);
    }
  });
});
