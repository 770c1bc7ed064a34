import type * as tf from '@tensorflow/tfjs';

/** A kernel config like `original` (same name, backend, setup and dispose) that runs `kernelFunc` instead. */
export function overrideKernel(original: tf.KernelConfig, kernelFunc: tf.KernelFunc): tf.KernelConfig {
  const { kernelName, backendName, setupFunc, disposeFunc } = original;
  return { kernelName, backendName, setupFunc, disposeFunc, kernelFunc };
}
