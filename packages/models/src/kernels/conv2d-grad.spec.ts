import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { engineRunner } from './kernel-runner.js';
import { centralDifferences, maxRelativeError, randomValues, refConv2d, refOutShape, type RefConv } from './testing/conv-reference.js';

interface Case {
  name: string;
  x: RefConv['xShape'];
  w: RefConv['wShape'];
  stride: [number, number];
  dilation: [number, number];
  padding: 'same' | 'valid';
}

const CASES: Case[] = [
  { name: '3x3 same', x: [2, 5, 6, 2], w: [3, 3, 2, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' },
  { name: '3x3 valid', x: [2, 6, 5, 3], w: [3, 3, 3, 2], stride: [1, 1], dilation: [1, 1], padding: 'valid' },
  { name: '2x3 even kernel same', x: [1, 5, 5, 2], w: [2, 3, 2, 2], stride: [1, 1], dilation: [1, 1], padding: 'same' },
  { name: 'stride 2 same', x: [2, 7, 6, 2], w: [3, 3, 2, 3], stride: [2, 2], dilation: [1, 1], padding: 'same' },
  { name: 'stride 2 valid, odd size', x: [1, 7, 8, 2], w: [3, 2, 2, 2], stride: [2, 2], dilation: [1, 1], padding: 'valid' },
  { name: 'dilation 2 same', x: [2, 7, 7, 2], w: [3, 3, 2, 2], stride: [1, 1], dilation: [2, 2], padding: 'same' },
  { name: 'dilation [1,3] valid', x: [1, 6, 9, 2], w: [2, 3, 2, 3], stride: [1, 1], dilation: [1, 3], padding: 'valid' },
  // Channel counts that exercise every tile of the wasm SIMD filter gradient: 4x8 and 1x4 tiles and the scalar rest.
  { name: '3x3 same, ci 8 co 12', x: [2, 6, 5, 8], w: [3, 3, 8, 12], stride: [1, 1], dilation: [1, 1], padding: 'same' },
  { name: '3x3 same, ci 5 co 9', x: [1, 5, 6, 5], w: [3, 3, 5, 9], stride: [1, 1], dilation: [1, 1], padding: 'same' },
  { name: 'stride 2 same, ci 4 co 8', x: [2, 7, 6, 4], w: [3, 3, 4, 8], stride: [2, 2], dilation: [1, 1], padding: 'same' },
  { name: '1D-style dilation 4 kernel 2', x: [2, 1, 12, 3], w: [1, 2, 3, 2], stride: [1, 1], dilation: [1, 4], padding: 'valid' },
];

/** Gradients of sum(conv2d(x, w) * r) from TF.js on `backend`, against float64 finite differences. */
function checkCase(c: Case, seed: number): { dx: number; dw: number } {
  const xs = randomValues(c.x.reduce((a, b) => a * b), seed);
  const ws = randomValues(c.w.reduce((a, b) => a * b), seed + 1);
  const ref: RefConv = { x: xs, xShape: c.x, w: ws, wShape: c.w, stride: c.stride, dilation: c.dilation, padding: c.padding };
  const { oh, ow } = refOutShape(ref);
  const r = randomValues(c.x[0] * oh * ow * c.w[3], seed + 2);
  const wantDx = centralDifferences(xs, r, (x) => refConv2d({ ...ref, x }));
  const wantDw = centralDifferences(ws, r, (w) => refConv2d({ ...ref, w }));
  const [gotDx, gotDw] = tf.tidy(() => {
    const weights = tf.tensor4d(Float32Array.from(r), [c.x[0], oh, ow, c.w[3]]);
    const f = (x: tf.Tensor, w: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.padding, 'NHWC', c.dilation), weights));
    return tf.grads(f)([tf.tensor4d(Float32Array.from(xs), c.x), tf.tensor4d(Float32Array.from(ws), c.w)]).map((g) => g.dataSync());
  });
  return { dx: maxRelativeError(gotDx ?? [], wantDx), dw: maxRelativeError(gotDw ?? [], wantDw) };
}

describe.each(['wasm', 'cpu'])('Conv2D gradients on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it.each(CASES)('$name matches central finite differences', (c) => {
    const { dx, dw } = checkCase(c, 7 + CASES.indexOf(c) * 3);
    expect(dx).toBeLessThan(1e-4);
    expect(dw).toBeLessThan(1e-4);
  });
});

describe('Conv2D gradients through a backend without explicit-padding Conv2D (as tfjs-node)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(CASES)('$name matches central finite differences with PadV2 + valid convs', (c) => {
    const original = engineRunner.explicitConvPadding;
    engineRunner.explicitConvPadding = () => false;
    try {
      const { dx, dw } = checkCase(c, 101 + CASES.indexOf(c) * 3);
      expect(dx).toBeLessThan(1e-4);
      expect(dw).toBeLessThan(1e-4);
    } finally {
      engineRunner.explicitConvPadding = original;
    }
  });
});
