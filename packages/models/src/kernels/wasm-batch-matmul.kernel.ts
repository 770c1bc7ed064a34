import * as tf from '@tensorflow/tfjs';
import { backendRunner } from './kernel-runner.js';

/**
 * Wraps a matMul kernel (`BatchMatMul` or `_FusedMatMul`) so that it never multiplies with transposeA or
 * transposeB set: it transposes the operand explicitly first. On wasm a transposed matMul runs at ~1 GFLOP/s
 * against ~15-20 untransposed, and every dense layer's gradient (dy·Wᵀ and xᵀ·dy) asks for one; the explicit
 * transpose is a copy of one operand, O(k·m) next to the product's O(k·m·n).
 */
export function untransposedMatMulKernel(original: tf.KernelConfig): tf.KernelConfig {
  const { kernelName, backendName } = original;
  return {
    kernelName,
    backendName,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
      const runner = backendRunner(args.backend as tf.KernelBackend, backendName);
      const inputs = { ...(args.inputs as Record<string, tf.TensorInfo>) };
      const temporaries: tf.TensorInfo[] = [];
      for (const [name, flag] of [['a', attrs.transposeA], ['b', attrs.transposeB]] as const) {
        const operand = inputs[name];
        if (!flag || !operand) continue;
        const transposed = runner.run('Transpose', { x: operand }, { perm: swapLastTwo(operand.shape.length) });
        temporaries.push(transposed);
        inputs[name] = transposed;
      }
      const out = original.kernelFunc({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
      for (const t of temporaries) runner.dispose(t);
      return out;
    },
  };
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
