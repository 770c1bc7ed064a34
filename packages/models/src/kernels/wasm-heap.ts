import type * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm that a JS kernel needs to read and write tensors in place. */
interface WasmBackendInternals {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/**
 * Float32 views of wasm tensors, for memory-bound kernels written in plain JS (V8 runs simple typed-array
 * loops at about the speed of the backend's scalar C++). Take views only after every allocation of the
 * kernel: growing the wasm memory detaches earlier views.
 */
export class WasmHeap {
  private readonly backend: WasmBackendInternals;

  constructor(backend: unknown) {
    this.backend = backend as WasmBackendInternals;
  }

  makeOutput(shape: number[]): tf.TensorInfo {
    return this.backend.makeOutput(shape, 'float32');
  }

  view(info: tf.TensorInfo): Float32Array {
    const length = info.shape.reduce((p, d) => p * d, 1);
    return new Float32Array(this.backend.wasm.HEAPF32.buffer, this.offset(info), length);
  }

  /** Float64 view of `count` doubles starting `start` doubles into a tensor's data (kernels' float64 scratch). */
  float64View(info: tf.TensorInfo, start: number, count: number): Float64Array {
    return new Float64Array(this.backend.wasm.HEAPF32.buffer, this.offset(info) + start * 8, count);
  }

  /** Frees a scratch tensor made with {@link makeOutput} that is not returned from the kernel. */
  dispose(info: tf.TensorInfo): void {
    this.backend.disposeData(info.dataId);
  }

  /** Byte offset of a tensor's data in the wasm memory (what wasm kernels take as a pointer). */
  offset(info: tf.TensorInfo): number {
    const entry = this.backend.dataIdMap.get(info.dataId);
    if (!entry) throw new Error('WasmHeap: tensor is not on the wasm backend');
    return entry.memoryOffset;
  }
}
