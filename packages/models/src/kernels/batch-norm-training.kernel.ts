import * as tf from '@tensorflow/tfjs';
import { jsKernelConfigs } from './js-kernel.js';
import { simdKernelConfig } from './simd-kernels.js';

/** Training-mode batch norm over the last axis: {x, gamma, beta} -> [y, mean, variance]. */
export const BATCH_NORM_TRAINING = 'AblateBatchNormTraining';
/** Its gradient: {dy, x, mean, variance, gamma} -> [dx, dgamma, dbeta]. */
export const BATCH_NORM_TRAINING_GRAD = 'AblateBatchNormTrainingGrad';

/*
 * Two passes forward (statistics, normalise) and two backward (the two per-channel sums, dx), in JS over
 * float32 data with float64 per-channel accumulators; the TF.js-op version of the same maths makes ~15
 * full-size passes, each a separate kernel.
 */

/**
 * Per-channel Σu and Σu·v over a row-major [rows, c] layout (v = u gives sums of squares), four channels at a
 * time in local float64 accumulators: strided loops over the rows, ~4x faster in V8 than updating
 * per-channel arrays per element.
 */
function channelSums(u: Float32Array, v: Float32Array, c: number, su: Float64Array, suv: Float64Array): void {
  const n = u.length;
  let k = 0;
  for (; k + 4 <= c; k += 4) {
    let [s0, s1, s2, s3, p0, p1, p2, p3] = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = k; i < n; i += c) {
      const [u0, u1, u2, u3] = [u[i] as number, u[i + 1] as number, u[i + 2] as number, u[i + 3] as number];
      s0 += u0;
      s1 += u1;
      s2 += u2;
      s3 += u3;
      p0 += u0 * (v[i] as number);
      p1 += u1 * (v[i + 1] as number);
      p2 += u2 * (v[i + 2] as number);
      p3 += u3 * (v[i + 3] as number);
    }
    su.set([s0, s1, s2, s3], k);
    suv.set([p0, p1, p2, p3], k);
  }
  for (; k < c; k++) {
    let [s, p] = [0, 0];
    for (let i = k; i < n; i += c) {
      s += u[i] as number;
      p += (u[i] as number) * (v[i] as number);
    }
    su[k] = s;
    suv[k] = p;
  }
}

/** out[i] = a[ch]·u[i] + b[ch]·v[i] + d[ch] for every element (ch = i mod c), blocked like channelSums. */
function affine2(out: Float32Array, u: Float32Array, v: Float32Array, a: Float64Array, b: Float64Array, d: Float64Array): void {
  const [c, n] = [a.length, out.length];
  let k = 0;
  for (; k + 4 <= c; k += 4) {
    const [a0, a1, a2, a3] = [a[k] as number, a[k + 1] as number, a[k + 2] as number, a[k + 3] as number];
    const [b0, b1, b2, b3] = [b[k] as number, b[k + 1] as number, b[k + 2] as number, b[k + 3] as number];
    const [d0, d1, d2, d3] = [d[k] as number, d[k + 1] as number, d[k + 2] as number, d[k + 3] as number];
    for (let i = k; i < n; i += c) {
      out[i] = a0 * (u[i] as number) + b0 * (v[i] as number) + d0;
      out[i + 1] = a1 * (u[i + 1] as number) + b1 * (v[i + 1] as number) + d1;
      out[i + 2] = a2 * (u[i + 2] as number) + b2 * (v[i + 2] as number) + d2;
      out[i + 3] = a3 * (u[i + 3] as number) + b3 * (v[i + 3] as number) + d3;
    }
  }
  for (; k < c; k++) {
    const [ak, bk, dk] = [a[k] as number, b[k] as number, d[k] as number];
    for (let i = k; i < n; i += c) out[i] = ak * (u[i] as number) + bk * (v[i] as number) + dk;
  }
}

interface AffineCoefficients {
  a: Float64Array;
  b: Float64Array;
  d: Float64Array;
}

/** Batch statistics into `mean` and `variance`, and y = scale·x + shift per channel. */
function forwardCoefficients(sum: Float64Array, squares: Float64Array, rows: number, [gamma, beta]: Float32Array[], [mean, variance]: Float32Array[], epsilon: number): AffineCoefficients {
  if (!gamma || !beta || !mean || !variance) throw new Error(`${BATCH_NORM_TRAINING}: missing tensor`);
  const c = gamma.length;
  const [scale, zero, shift] = [new Float64Array(c), new Float64Array(c), new Float64Array(c)];
  for (let k = 0; k < c; k++) {
    const m = (sum[k] as number) / rows;
    // Float64 sums keep E[x²] - E[x]² accurate even for unscaled 0..255 pixels.
    const v = Math.max((squares[k] as number) / rows - m * m, 0);
    mean[k] = m;
    variance[k] = v;
    scale[k] = (gamma[k] as number) / Math.sqrt(v + epsilon);
    shift[k] = (beta[k] as number) - m * (scale[k] as number);
  }
  return { a: scale, b: zero, d: shift };
}

/**
 * dgamma and dbeta, and dx = gain·dy + b·x + d with gain = gamma·rstd, dgamma = rstd·Σdy·(x - mean),
 * b = -gain·rstd·dgamma/M, d = -gain·Σdy/M - b·mean.
 */
function backwardCoefficients(sumDy: Float64Array, sumDyX: Float64Array, rows: number, [mean, variance, gamma]: Float32Array[], [dgamma, dbeta]: Float32Array[], epsilon: number): AffineCoefficients {
  if (!mean || !variance || !gamma || !dgamma || !dbeta) throw new Error(`${BATCH_NORM_TRAINING_GRAD}: missing tensor`);
  const c = gamma.length;
  const [a, b, d] = [new Float64Array(c), new Float64Array(c), new Float64Array(c)];
  for (let k = 0; k < c; k++) {
    const m = mean[k] as number;
    const rstd = 1 / Math.sqrt((variance[k] as number) + epsilon);
    const gain = (gamma[k] as number) * rstd;
    const dg = ((sumDyX[k] as number) - m * (sumDy[k] as number)) * rstd;
    dgamma[k] = dg;
    dbeta[k] = sumDy[k] as number;
    a[k] = gain;
    b[k] = (-gain * rstd * dg) / rows;
    d[k] = (-gain * (sumDy[k] as number)) / rows - (b[k] as number) * m;
  }
  return { a, b, d };
}

/** The JS kernel bodies (the cpu backend's, and wasm's for channel counts that are not a multiple of 4). */
export function forward([x, gamma, beta]: Float32Array[], [y, mean, variance]: Float32Array[], epsilon: number): void {
  if (!x || !gamma || !beta || !y || !mean || !variance) throw new Error(`${BATCH_NORM_TRAINING}: missing tensor`);
  const c = gamma.length;
  const [sum, squares] = [new Float64Array(c), new Float64Array(c)];
  channelSums(x, x, c, sum, squares);
  const { a, b, d } = forwardCoefficients(sum, squares, x.length / c, [gamma, beta], [mean, variance], epsilon);
  affine2(y, x, x, a, b, d);
}

export function backward([dy, x, mean, variance, gamma]: Float32Array[], [dx, dgamma, dbeta]: Float32Array[], epsilon: number): void {
  if (!dy || !x || !gamma || !dx) throw new Error(`${BATCH_NORM_TRAINING_GRAD}: missing tensor`);
  const c = gamma.length;
  const [sumDy, sumDyX] = [new Float64Array(c), new Float64Array(c)];
  channelSums(dy, x, c, sumDy, sumDyX);
  const { a, b, d } = backwardCoefficients(sumDy, sumDyX, x.length / c, [mean ?? new Float32Array(), variance ?? new Float32Array(), gamma], [dgamma ?? new Float32Array(), dbeta ?? new Float32Array()], epsilon);
  affine2(dx, dy, x, a, b, d);
}

/**
 * The same two passes per direction in wasm SIMD (assembly/batch-norm.ts) when the channel count is a multiple
 * of 4; the per-channel arithmetic stays in JS above. The input layer's 3 channels take the JS loops.
 */
function simdBatchNorm(kind: 'forward' | 'backward', jsConfig: tf.KernelConfig, inputNames: string[]): tf.KernelConfig {
  return simdKernelConfig(jsConfig, (simd, heap, args) => {
    const infos = inputNames.map((name) => (args.inputs as Record<string, tf.TensorInfo>)[name] as tf.TensorInfo);
    const [first, second] = infos as [tf.TensorInfo, tf.TensorInfo];
    const c = first.shape.at(-1) ?? 0;
    if (c % 4 !== 0 || c === 0) return null;
    const rows = tf.util.sizeFromShape(first.shape) / c;
    const outs = [heap.makeOutput(first.shape), heap.makeOutput([c]), heap.makeOutput([c])] as const;
    // 2c float32 accumulators, 2c float64 totals, 3c float32 coefficients.
    const scratch = heap.makeOutput([9 * c]);
    const epsilon = args.attrs?.['epsilon'] as number;
    // forward: sums of x and x·x; backward: sums of dy and dy·x. Then out = a·first + b·v + d.
    const v = kind === 'forward' ? first : second;
    simd.channelSums(heap.offset(first), heap.offset(v), rows, c, heap.offset(scratch));
    const totals = heap.float64View(scratch, c, 2 * c);
    const [su, suv] = [totals.slice(0, c), totals.slice(c)];
    const small = outs.slice(1).map((o) => heap.view(o));
    const rest = infos.slice(kind === 'forward' ? 1 : 2).map((t) => heap.view(t));
    const { a, b, d } = kind === 'forward' ? forwardCoefficients(su, suv, rows, rest, small, epsilon) : backwardCoefficients(su, suv, rows, rest, small, epsilon);
    const coef = heap.view(scratch).subarray(6 * c, 9 * c);
    coef.set(a, 0);
    coef.set(b, c);
    coef.set(d, 2 * c);
    simd.affine2(heap.offset(outs[0]), heap.offset(first), heap.offset(v), rows, c, heap.offset(scratch) + 24 * c);
    heap.dispose(scratch);
    return [...outs];
  });
}

const channelsOf = (shape: number[] | undefined): number[] => [shape?.[shape.length - 1] ?? 0];

const [wasmForward, cpuForward] = jsKernelConfigs(BATCH_NORM_TRAINING, ['x', 'gamma', 'beta'], ([x]) => [x ?? [], channelsOf(x), channelsOf(x)], (i, o, attrs) =>
  forward(i, o, attrs.epsilon as number),
);
const [wasmBackward, cpuBackward] = jsKernelConfigs(BATCH_NORM_TRAINING_GRAD, ['dy', 'x', 'mean', 'variance', 'gamma'], ([dy, x]) => [x ?? dy ?? [], channelsOf(x), channelsOf(x)], (i, o, attrs) =>
  backward(i, o, attrs.epsilon as number),
);

export const batchNormTrainingKernels: tf.KernelConfig[] = [
  simdBatchNorm('forward', wasmForward, ['x', 'gamma', 'beta']),
  cpuForward,
  simdBatchNorm('backward', wasmBackward, ['dy', 'x', 'mean', 'variance', 'gamma']),
  cpuBackward,
];
