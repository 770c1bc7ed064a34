import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { centralDifferences, maxRelativeError, randomValues } from './testing/conv-reference.js';

const [N, H, W, C] = [2, 3, 4, 3];
const EPS = 1e-3;

/** Float64 batchNorm: (x - mean) / sqrt(var + eps) * scale + offset, per channel (last axis). */
function refBatchNorm(p: { x: Float64Array; mean: Float64Array; variance: Float64Array; scale: Float64Array; offset: Float64Array }): Float64Array {
  return p.x.map((v, i) => {
    const c = i % C;
    return ((v - (p.mean[c] ?? 0)) / Math.sqrt((p.variance[c] ?? 0) + EPS)) * (p.scale[c] ?? 0) + (p.offset[c] ?? 0);
  });
}

describe.each(['wasm', 'cpu'])('FusedBatchNorm gradient on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it('matches central finite differences for x, mean, variance, scale and offset', () => {
    const params = {
      x: randomValues(N * H * W * C, 31),
      mean: randomValues(C, 32),
      variance: randomValues(C, 33).map((v) => v * v + 0.5),
      scale: randomValues(C, 34),
      offset: randomValues(C, 35),
    };
    const r = randomValues(N * H * W * C, 36);
    const names = ['x', 'mean', 'variance', 'scale', 'offset'] as const;
    const want = names.map((name) => centralDifferences(params[name], r, (v) => refBatchNorm({ ...params, [name]: v }), 1e-4));
    const got = tf.tidy(() => {
      const weights = tf.tensor4d(Float32Array.from(r), [N, H, W, C]);
      const inputs = names.map((name) => (name === 'x' ? tf.tensor4d(Float32Array.from(params.x), [N, H, W, C]) : tf.tensor1d(Float32Array.from(params[name]))));
      const f = (x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(tf.batchNorm(x, m, v, o, s, EPS), weights));
      return tf.grads(f)(inputs).map((g) => g.dataSync());
    });
    names.forEach((name, i) => expect(maxRelativeError(got[i] ?? [], want[i] ?? []), name).toBeLessThan(1e-3));
  });
});
