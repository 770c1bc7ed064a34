import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv, conv2dBackpropInputViaConv } from './conv2d-backprop.js';
import { conv2dGeometry, type Conv2DAttrsLike, type Conv2DGeometry } from './conv2d-geometry.js';
import { backendRunner } from './kernel-runner.js';
import { simdKernelsFor, type AblateSimdKernels } from './simd-kernels.js';
import { WasmHeap } from './wasm-heap.js';

type BackpropFilterAttrs = Conv2DAttrsLike & { filterShape: number[] };
type BackpropInputAttrs = Conv2DAttrsLike & { inputShape: number[] };

/**
 * `Conv2DBackpropFilter` for a backend that lacks it (tfjs-backend-wasm 4.22 has none, so CNNs cannot train on
 * wasm): Ablate's SIMD kernel on the wasm heap (~2-4x XNNPACK on the course CNN's layers), else composed from
 * the backend's Transpose and forward Conv2D kernels.
 */
export function conv2dBackpropFilterKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as BackpropFilterAttrs;
      const geometry = conv2dGeometry(x.shape, a.filterShape, { ...a, dilations: 1 });
      const simd = backendName === 'wasm' ? simdKernelsFor(backend) : null;
      if (simd) return conv2dBackpropFilterSimd(simd, new WasmHeap(backend), x, dy, geometry);
      return conv2dBackpropFilterViaConv(backendRunner(backend as tf.KernelBackend, backendName), x, dy, geometry);
    },
  };
}

/** The filter gradient computed in place on the wasm heap by `conv2dFilterGrad` (assembly/conv2d-filter-grad.ts). */
export function conv2dBackpropFilterSimd(simd: AblateSimdKernels, heap: WasmHeap, x: tf.TensorInfo, dy: tf.TensorInfo, g: Conv2DGeometry): tf.TensorInfo {
  const [n, h, w, ci] = g.inShape;
  const [kh, kw, , co] = g.filterShape;
  const out = heap.makeOutput([...g.filterShape]);
  heap.view(out).fill(0);
  simd.conv2dFilterGrad(
    heap.offset(x), heap.offset(dy), heap.offset(out),
    n, h, w, ci, g.outHeight, g.outWidth, co,
    kh, kw, g.strides[0], g.strides[1], g.dilations[0], g.dilations[1], g.pad.top, g.pad.left,
  );
  return out;
}

/**
 * `Conv2DBackpropInput` that runs stride-1 cases as a forward conv (wasm's own kernel runs at ~2 GFLOP/s, its
 * forward conv at ~20) and hands strided ones to the kernel it replaces.
 */
export function conv2dBackpropInputKernel(backendName: string, fallback: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    setupFunc: fallback.setupFunc,
    disposeFunc: fallback.disposeFunc,
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = args.attrs as unknown as BackpropInputAttrs;
      const geometry = conv2dGeometry(a.inputShape, filter.shape, { ...a, dilations: 1 });
      const dx = conv2dBackpropInputViaConv(backendRunner(args.backend as tf.KernelBackend, backendName), dy, filter, geometry);
      return dx ?? fallback.kernelFunc(args);
    },
  };
}
