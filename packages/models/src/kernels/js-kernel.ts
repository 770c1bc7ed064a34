import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/** The parts of the cpu backend a JS kernel uses (public at runtime, declared loosely in its .d.ts). */
interface CpuBackendInternals {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** A kernel body over plain Float32Arrays: read the inputs, fill the outputs (allocated by the adapter). */
export type Float32KernelBody = (inputs: Float32Array[], outputs: Float32Array[], attrs: tf.NamedAttrMap) => void;

/**
 * Registers the same float32 JS kernel body for wasm (views on the wasm heap, no copies) and cpu (the
 * backend's own typed arrays). `outputShapes` maps the input shapes to the output shapes.
 */
export function jsKernelConfigs(
  kernelName: string,
  inputNames: string[],
  outputShapes: (inputShapes: number[][]) => number[][],
  body: Float32KernelBody,
): [wasm: tf.KernelConfig, cpu: tf.KernelConfig] {
  const wasm: tf.KernelConfig = {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const infos = inputNames.map((name) => (inputs as Record<string, tf.TensorInfo>)[name] as tf.TensorInfo);
      const heap = new WasmHeap(backend);
      // Allocate every output before taking any view: an allocation may grow (and detach) the heap.
      const outs = outputShapes(infos.map((t) => t.shape)).map((shape) => heap.makeOutput(shape));
      body(infos.map((t) => heap.view(t)), outs.map((t) => heap.view(t)), attrs ?? {});
      return outs;
    },
  };
  const cpu: tf.KernelConfig = {
    kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as unknown as CpuBackendInternals;
      const infos = inputNames.map((name) => (inputs as Record<string, tf.TensorInfo>)[name] as tf.TensorInfo);
      const shapes = outputShapes(infos.map((t) => t.shape));
      const values = shapes.map((shape) => new Float32Array(shape.reduce((p, d) => p * d, 1)));
      body(infos.map((t) => b.data.get(t.dataId).values), values, attrs ?? {});
      return values.map((v, i) => b.makeTensorInfo(shapes[i] ?? [], 'float32', v));
    },
  };
  return [wasm, cpu];
}
