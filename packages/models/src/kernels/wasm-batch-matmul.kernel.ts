import * as tf from '@tensorflow/tfjs';
import { overrideKernel } from './kernel-override.js';
import { backendRunner, type KernelRunner } from './kernel-runner.js';

type MatMulAttrs = { transposeA?: boolean; transposeB?: boolean };

/**
 * Wraps a matMul kernel (`BatchMatMul` or `_FusedMatMul`) so that it never multiplies with transposeA or
 * transposeB set. On wasm a transposed matMul runs at ~1 GFLOP/s against ~15-20 untransposed, and every dense
 * layer's gradient asks for one (dy·Wᵀ and xᵀ·dy). Two rewrites, whichever copies fewer elements:
 *  - transpose the flagged operands explicitly: op(A)·op(B);
 *  - or (plain BatchMatMul only) compute the transposed product and transpose it back: (op(B)ᵀ·op(A)ᵀ)ᵀ, where
 *    the flagged operands need no copy. For dy·Wᵀ with a 2048x500 W that copies 160 K elements instead of 1 M.
 */
export function untransposedMatMulKernel(original: tf.KernelConfig): tf.KernelConfig {
  const { kernelName, backendName } = original;
  return overrideKernel(original, (args) => {
    const attrs = args.attrs as MatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const runner = backendRunner(args.backend as tf.KernelBackend, backendName);
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const multiply = (x: tf.TensorInfo, y: tf.TensorInfo): tf.TensorInfo =>
      original.kernelFunc({ ...args, inputs: { ...args.inputs, a: x, b: y }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
    const useTransposedProduct = kernelName === 'BatchMatMul' && transposedProductCopies(a, b, attrs) < operandCopies(a, b, attrs);
    const temporaries: tf.TensorInfo[] = [];
    const swap = (t: tf.TensorInfo): tf.TensorInfo => {
      const out = transposeLastTwo(runner, t);
      temporaries.push(out);
      return out;
    };
    let out: tf.TensorInfo;
    if (useTransposedProduct) {
      const inner = multiply(attrs.transposeB ? b : swap(b), attrs.transposeA ? a : swap(a));
      temporaries.push(inner);
      out = transposeLastTwo(runner, inner);
    } else {
      out = multiply(attrs.transposeA ? swap(a) : a, attrs.transposeB ? swap(b) : b);
    }
    for (const t of temporaries) runner.dispose(t);
    return out;
  });
}

function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function operandCopies(a: tf.TensorInfo, b: tf.TensorInfo, attrs: MatMulAttrs): number {
  return (attrs.transposeA ? size(a.shape) : 0) + (attrs.transposeB ? size(b.shape) : 0);
}

function transposedProductCopies(a: tf.TensorInfo, b: tf.TensorInfo, attrs: MatMulAttrs): number {
  const m = attrs.transposeA ? a.shape.at(-1) : a.shape.at(-2);
  const n = attrs.transposeB ? b.shape.at(-2) : b.shape.at(-1);
  const batch = Math.max(size(a.shape.slice(0, -2)), size(b.shape.slice(0, -2)));
  return batch * (m ?? 0) * (n ?? 0) + (attrs.transposeA ? 0 : size(a.shape)) + (attrs.transposeB ? 0 : size(b.shape));
}

function transposeLastTwo(runner: KernelRunner, t: tf.TensorInfo): tf.TensorInfo {
  const rank = t.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return runner.run('Transpose', { x: t }, { perm });
}
