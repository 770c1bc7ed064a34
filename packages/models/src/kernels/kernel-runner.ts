import * as tf from '@tensorflow/tfjs';

/**
 * Runs TF.js kernels and frees their results. The convolution gradients are written once against this
 * interface and used at two levels: inside a backend kernel (TensorInfo in, TensorInfo out, no tape, no
 * engine bookkeeping) and as engine ops inside a gradient function (tensors tracked by the engine).
 */
export interface KernelRunner {
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo;
  dispose(info: tf.TensorInfo): void;
  /** Whether the backend's Conv2D takes explicit [[t,b],[l,r]] padding; otherwise callers pad first. */
  explicitConvPadding: () => boolean;
}

/** Backends whose Conv2D kernel is known (tested here or in TF.js) to honour explicit padding. */
const EXPLICIT_PADDING_BACKENDS = new Set(['wasm', 'cpu', 'webgl']);

/** Calls kernels of `backendName` directly on `backend`; used to compose a kernel out of other kernels. */
export function backendRunner(backend: tf.KernelBackend, backendName: string): KernelRunner {
  return {
    run(kernelName, inputs, attrs) {
      const kernel = tf.getKernel(kernelName, backendName);
      if (!kernel) throw new Error(`Kernel '${kernelName}' is not registered for backend '${backendName}'`);
      const out = kernel.kernelFunc({ inputs, attrs, backend });
      const first = Array.isArray(out) ? out[0] : out;
      if (!first) throw new Error(`Kernel '${kernelName}' returned no output`);
      return first;
    },
    dispose(info) {
      backend.disposeData(info.dataId);
    },
    explicitConvPadding: () => EXPLICIT_PADDING_BACKENDS.has(backendName),
  };
}

/** Runs kernels through the engine (whatever backend is active); results are ordinary tensors. */
export const engineRunner: KernelRunner = {
  run(kernelName, inputs, attrs) {
    return tf.engine().runKernel<tf.Tensor>(kernelName, inputs as tf.NamedTensorMap, attrs);
  },
  dispose(info) {
    (info as tf.Tensor).dispose();
  },
  // tfjs-node passes only SAME/VALID to TensorFlow's Conv2D, so elsewhere the input is padded first.
  explicitConvPadding: () => EXPLICIT_PADDING_BACKENDS.has(tf.getBackend()),
};
