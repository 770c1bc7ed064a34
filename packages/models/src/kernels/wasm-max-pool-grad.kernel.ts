import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

type MaxPoolGradAttrs = { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };

/**
 * `MaxPoolGrad` for wasm in plain JS over the wasm heap: each window routes its gradient to its first maximum
 * (row-major scan, as TF and the cpu backend do). The stock wasm kernel took ~45 ms for the two pooling layers of
 * a 64-image CIFAR batch; this one a few ms. float32 only, as the stock kernel.
 */
export function maxPoolGradKernel(fallback: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: 'MaxPoolGrad',
    backendName: 'wasm',
    setupFunc: fallback.setupFunc,
    disposeFunc: fallback.disposeFunc,
    kernelFunc: (args) => {
      const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      if (input.dtype !== 'float32' || dy.dtype !== 'float32') return fallback.kernelFunc(args);
      const a = args.attrs as unknown as MaxPoolGradAttrs;
      const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      const heap = new WasmHeap(args.backend);
      const out = heap.makeOutput(input.shape);
      routeToFirstMax(heap.view(input), heap.view(dy), heap.view(out), info);
      return out;
    },
  };
}

function routeToFirstMax(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { filterHeight, filterWidth, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const tiled = filterHeight === 2 && filterWidth === 2 && sh === 2 && sw === 2 && padInfo.top === 0 && padInfo.left === 0;
  if (tiled && info.inHeight >= 2 * info.outHeight && info.inWidth >= 2 * info.outWidth) {
    routeTiled2x2(x, dy, dx, info);
    return;
  }
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * c;
    for (let i = 0; i < outHeight; i++) {
      const y0 = Math.max(0, i * strideHeight - top);
      const y1 = Math.min(inHeight, i * strideHeight - top + fh);
      for (let j = 0; j < outWidth; j++) {
        const x0 = Math.max(0, j * strideWidth - left);
        const x1 = Math.min(inWidth, j * strideWidth - left + fw);
        const dyBase = ((b * outHeight + i) * outWidth + j) * c;
        for (let k = 0; k < c; k++) {
          let best = -Infinity;
          let at = -1;
          for (let y = y0; y < y1; y++) {
            for (let xw = x0; xw < x1; xw++) {
              const idx = xBatch + (y * inWidth + xw) * c + k;
              const v = x[idx] as number;
              if (v > best || at < 0) {
                best = v;
                at = idx;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] as number) + (dy[dyBase + k] as number);
        }
      }
    }
  }
}

/** The course's MaxPool(2): non-overlapping 2x2 windows, no padding, so every dx entry is written exactly once. */
function routeTiled2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const row = inWidth * c;
  dx.fill(0);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < outHeight; i++) {
      const rowBase = (b * inHeight + 2 * i) * row;
      for (let j = 0; j < outWidth; j++) {
        const p00 = rowBase + 2 * j * c;
        for (let k = 0; k < c; k++, o++) {
          const a = p00 + k;
          // Unrolled (no candidate array): this loop runs once per pooled value, ~1.5 M times per CIFAR batch.
          let at = a;
          if ((x[a + c] as number) > (x[at] as number)) at = a + c;
          if ((x[a + row] as number) > (x[at] as number)) at = a + row;
          if ((x[a + row + c] as number) > (x[at] as number)) at = a + row + c;
          dx[at] = dy[o] as number;
        }
      }
    }
  }
}
