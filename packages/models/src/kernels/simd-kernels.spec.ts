import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { conv2dBackpropFilterViaConv } from './conv2d-backprop.js';
import { conv2dGeometry } from './conv2d-geometry.js';
import { backendRunner } from './kernel-runner.js';
import fs from 'node:fs';
import { adamUpdate } from './adam-update.kernel.js';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, backward as jsBatchNormBackward, forward as jsBatchNormForward } from './batch-norm-training.kernel.js';
import { RELU_GRAD } from './relu.grad.js';
import { simdKernelsAvailable, simdKernelsFile, simdKernelsFor, wasmApi } from './simd-kernels.js';
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

  it('import the backend memory and write nothing into it when instantiated (no data segments)', () => {
    const module = new wasmApi.Module(fs.readFileSync(simdKernelsFile()));
    expect(wasmApi.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const memory = new wasmApi.Memory({ initial: 2 });
    new Uint8Array(memory.buffer).fill(0xab);
    new wasmApi.Instance(module, { env: { memory } });
    expect(new Uint8Array(memory.buffer).every((b) => b === 0xab)).toBe(true);
  });

  it('Relu gradient passes dy where x > 0 (zero and negative x block it), tail included', () => {
    const n = 4 * 1000 + 3;
    const xs = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : Math.sin(i * 1.7)));
    const dys = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.3) * 3);
    const [got] = tf.engine().runKernel<tf.Tensor[]>(RELU_GRAD, { dy: tf.tensor1d(dys), x: tf.tensor1d(xs) }, {});
    const want = dys.map((d, i) => ((xs[i] ?? 0) > 0 ? d : 0));
    expect(Array.from(got?.dataSync() ?? [])).toEqual(Array.from(want));
  });

  it('Adam step matches the float64 reference, tail included', () => {
    const n = 4 * 777 + 1;
    const seq = (k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5);
    const [p, g, m, v] = [seq(1.1), seq(2.3), seq(0.7), seq(0.9).map(Math.abs)];
    const attrs = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, oneMinusAccBeta1: 1 - 0.9 ** 3, oneMinusAccBeta2: 1 - 0.999 ** 3 };
    const want: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    adamUpdate(p, g, m, v, want, attrs);
    const inputs = { param: tf.tensor1d(p), grad: tf.tensor1d(g), m: tf.tensor1d(m), v: tf.tensor1d(v) };
    const got = tf.engine().runKernel<tf.Tensor[]>('AblateAdamUpdate', inputs, attrs);
    for (const [i, t] of got.entries()) {
      const values = t.dataSync();
      const worst = Math.max(...Array.from(values, (x, j) => Math.abs(x - (want[i]?.[j] ?? NaN)) / (Math.abs(want[i]?.[j] ?? 0) + 1e-3)));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('batch-norm passes match the JS kernels on raw 0..255 pixels, over more rows than one SIMD block', () => {
    const [rows, c] = [1000, 16];
    const x = Float32Array.from({ length: rows * c }, (_, i) => Math.round(127.5 + 127.5 * Math.sin(i * 0.37 + (i % c))));
    const dy = Float32Array.from({ length: rows * c }, (_, i) => Math.cos(i * 0.11));
    const gamma = Float32Array.from({ length: c }, (_, k) => 0.5 + k / c);
    const beta = Float32Array.from({ length: c }, (_, k) => k / 10 - 0.7);
    const want = [new Float32Array(rows * c), new Float32Array(c), new Float32Array(c)];
    jsBatchNormForward([x, gamma, beta], want, 1e-3);
    const got = tf.engine().runKernel<tf.Tensor[]>(BATCH_NORM_TRAINING, { x: tf.tensor2d(x, [rows, c]), gamma: tf.tensor1d(gamma), beta: tf.tensor1d(beta) }, { epsilon: 1e-3 });
    got.forEach((t, i) => expect(relativeError(t.dataSync(), want[i]!), `forward output ${i}`).toBeLessThan(1e-5));
    const [mean, variance] = [want[1]!, want[2]!];
    const wantGrad = [new Float32Array(rows * c), new Float32Array(c), new Float32Array(c)];
    jsBatchNormBackward([dy, x, mean, variance, gamma], wantGrad, 1e-3);
    const inputs = { dy: tf.tensor2d(dy, [rows, c]), x: tf.tensor2d(x, [rows, c]), mean: tf.tensor1d(mean), variance: tf.tensor1d(variance), gamma: tf.tensor1d(gamma) };
    const gotGrad = tf.engine().runKernel<tf.Tensor[]>(BATCH_NORM_TRAINING_GRAD, inputs, { epsilon: 1e-3 });
    gotGrad.forEach((t, i) => expect(relativeError(t.dataSync(), wantGrad[i]!), `gradient output ${i}`).toBeLessThan(1e-4));
  });

  it('are not used, with a warning, on a memory they cannot import (shared memory of the threaded build)', () => {
    const memory = new wasmApi.Memory({ initial: 1, maximum: 1, shared: true });
    expect(simdKernelsFor({ wasm: { asm: { memory } } })).toBeNull();
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

/** Largest |got - want| relative to the largest |want|. */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let [err, scale] = [0, 0];
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs((got[i] ?? NaN) - (want[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(want[i] ?? 0));
  }
  return err / (scale || 1);
}
