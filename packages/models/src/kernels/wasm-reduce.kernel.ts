import * as tf from '@tensorflow/tfjs';
import { overrideKernel } from './kernel-override.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * `Sum` / `Mean` for wasm over *leading* axes (NHWC's batch and spatial axes: every conv bias gradient and
 * every batch-norm statistic) as JS loops over the wasm heap with float64 accumulators in locals. The
 * stock kernels first transpose the reduced axes innermost (a full copy); a ones·x matMul would re-pack x as
 * XNNPACK weights on every call. Measured on [64,32,32,16]: stock 3.3 ms, this ~1 ms. Other reductions (and
 * non-float32 input) go to the replaced kernel.
 */
export function leadingAxesReduceKernel(original: tf.KernelConfig): tf.KernelConfig {
  const { kernelName } = original;
  return overrideKernel(original, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return original.kernelFunc(args);
    const rows = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
    const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const heap = new WasmHeap(args.backend);
    const out = heap.makeOutput(outShape);
    columnSums(heap.view(x), rows, heap.view(out), kernelName === 'Mean' ? 1 / rows : 1);
    return out;
  });
}

/** Column sums of a row-major [rows, out.length] matrix, four columns at a time in local accumulators. */
function columnSums(x: Float32Array, rows: number, out: Float32Array, scale: number): void {
  const cols = out.length;
  const end = rows * cols;
  let c = 0;
  for (; c + 4 <= cols; c += 4) {
    let [a0, a1, a2, a3] = [0, 0, 0, 0];
    for (let i = c; i < end; i += cols) {
      a0 += x[i] as number;
      a1 += x[i + 1] as number;
      a2 += x[i + 2] as number;
      a3 += x[i + 3] as number;
    }
    out[c] = a0 * scale;
    out[c + 1] = a1 * scale;
    out[c + 2] = a2 * scale;
    out[c + 3] = a3 * scale;
  }
  for (; c < cols; c++) {
    let a = 0;
    for (let i = c; i < end; i += cols) a += x[i] as number;
    out[c] = a * scale;
  }
}
