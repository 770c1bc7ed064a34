import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { conv2dBackpropFilterViaConv } from './conv2d-backprop.js';
import { conv2dGeometry } from './conv2d-geometry.js';
import { backendRunner } from './kernel-runner.js';
import { simdKernelsAvailable, simdKernelsFor } from './simd-kernels.js';
import { conv2dBackpropFilterSimd } from './wasm-conv2d-backprop.kernel.js';
import { WasmHeap } from './wasm-heap.js';

/** The course CNN's four conv layers (batch cut to 4 images): [input shape, filter shape]. */
const COURSE_LAYERS: [number[], number[]][] = [
  [[4, 32, 32, 3], [3, 3, 3, 16]],
  [[4, 32, 32, 16], [3, 3, 16, 16]],
  [[4, 16, 16, 16], [3, 3, 16, 32]],
  [[4, 16, 16, 32], [3, 3, 32, 32]],
];

describe('wasm SIMD kernels', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  it('are built and run on the wasm backend (a missing build would silently slow training)', () => {
    expect(simdKernelsAvailable()).toBe(true);
    expect(simdKernelsFor(tf.backend())).not.toBeNull();
  });

  it.each(COURSE_LAYERS)('filter gradient of x %j, filter %j equals the XNNPACK formulation', (xShape, fShape) => {
    const backend = tf.backend();
    const simd = simdKernelsFor(backend);
    if (!simd) throw new Error('SIMD kernels unavailable');
    const g = conv2dGeometry(xShape, fShape, { strides: 1, pad: 'same' });
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 3);
    const dy = tf.randomNormal([g.inShape[0], g.outHeight, g.outWidth, g.filterShape[3]], 0, 1, 'float32', 4);
    const gotInfo = conv2dBackpropFilterSimd(simd, new WasmHeap(backend), x, dy, g);
    const wantInfo = conv2dBackpropFilterViaConv(backendRunner(backend, 'wasm'), x, dy, g);
    const got = tf.engine().makeTensorFromTensorInfo(gotInfo);
    const want = tf.engine().makeTensorFromTensorInfo(wantInfo);
    const scale = want.abs().max().dataSync()[0] ?? 1;
    const maxError = got.sub(want).abs().max().dataSync()[0] ?? Infinity;
    expect(got.shape).toEqual(fShape);
    expect(maxError / scale).toBeLessThan(1e-5);
    tf.dispose([x, dy, got, want]);
  });
});
