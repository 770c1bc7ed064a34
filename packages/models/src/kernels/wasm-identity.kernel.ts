import * as tf from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * `Identity` on wasm without the copy: the stock kernel copies the whole tensor, and the engine runs Identity
 * for every tensor a gradient saves (`ENGINE.clone`), ~3 full-size copies per conv layer per training step.
 * Sharing the data and counting the reference is what wasm's own Reshape and the cpu backend's Identity do;
 * TF.js never writes into a tensor's data after it is made. Strings keep the stock kernel.
 */
export function sharedIdentityKernel(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype === 'string') return stock.kernelFunc(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
