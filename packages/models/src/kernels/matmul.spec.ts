import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { maxRelativeError, randomValues } from './testing/conv-reference.js';

/** Float64 reference of op(A)·op(B) for one [rows, cols] matrix each. */
function refMatMul(a: Float64Array, aShape: [number, number], b: Float64Array, bShape: [number, number], tA: boolean, tB: boolean): Float64Array {
  const [m, k] = tA ? [aShape[1], aShape[0]] : aShape;
  const n = tB ? bShape[0] : bShape[1];
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += (a[tA ? p * aShape[1] + i : i * k + p] ?? 0) * (b[tB ? j * bShape[1] + p : p * bShape[1] + j] ?? 0);
      out[i * n + j] = acc;
    }
  return out;
}

describe('matMul with transposes on wasm (rewritten as untransposed products)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  // Shapes chosen so both rewrites are exercised: a wide B favours the transposed product, a wide A does not.
  it.each([
    { tA: false, tB: true, a: [4, 6], b: [50, 6] },
    { tA: true, tB: false, a: [6, 4], b: [6, 50] },
    { tA: true, tB: false, a: [60, 3], b: [60, 2] },
    { tA: true, tB: true, a: [6, 4], b: [5, 6] },
    { tA: false, tB: true, a: [40, 6], b: [3, 6] },
  ] as { tA: boolean; tB: boolean; a: [number, number]; b: [number, number] }[])('tA=$tA tB=$tB a=$a b=$b', ({ tA, tB, a, b }) => {
    const av = randomValues(a[0] * a[1], 41);
    const bv = randomValues(b[0] * b[1], 42);
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(Float32Array.from(av), a), tf.tensor2d(Float32Array.from(bv), b), tA, tB).dataSync());
    expect(maxRelativeError(got, refMatMul(av, a, bv, b, tA, tB))).toBeLessThan(1e-5);
  });

  it('keeps batch dimensions and fused bias/activation', () => {
    const a = tf.randomNormal([3, 4, 5]);
    const b = tf.randomNormal([3, 6, 5]);
    const bias = tf.randomNormal([6]);
    const [fast, slow] = [true, false].map((swap) =>
      tf.tidy(() => {
        const bt = swap ? b : tf.transpose(b, [0, 2, 1]);
        return tf.fused.matMul({ a, b: bt, transposeB: swap, bias, activation: 'relu' }).dataSync();
      }),
    );
    expect(maxRelativeError(fast ?? [], slow ?? [])).toBeLessThan(1e-5);
    const batched = tf.tidy(() => tf.matMul(a, b, false, true).sub(tf.matMul(a, tf.transpose(b, [0, 2, 1]))).abs().max().dataSync()[0]);
    expect(batched).toBeLessThan(1e-5);
    tf.dispose([a, b, bias]);
  });
});
