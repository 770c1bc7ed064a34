import * as tf from '@tensorflow/tfjs';
import { adamUpdateKernels } from './adam-update.kernel.js';
import { batchNormTrainingKernels } from './batch-norm-training.kernel.js';
import { fusedBatchNormGradConfig } from './batch-norm.grad.js';
import { installDilatedConv2dLayerFix } from '../layers/dilated-conv2d.patch.js';
import { conv2dGradConfig } from './conv2d-dilated.grad.js';
import { reluGradConfig, reluGradKernels } from './relu.grad.js';
import { untransposedMatMulKernel } from './wasm-batch-matmul.kernel.js';
import { sharedIdentityKernel } from './wasm-identity.kernel.js';
import { maxPoolGradKernel } from './wasm-max-pool-grad.kernel.js';
import { leadingAxesReduceKernel } from './wasm-reduce.kernel.js';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel } from './wasm-conv2d-backprop.kernel.js';

/** Kernel configs this module installed, so a second call (or a re-import) never wraps a wrapper. */
const installed = new WeakSet<tf.KernelConfig>();
let gradientsRegistered = false;

/**
 * Registers Ablate's kernels and gradients; safe to call any number of times, before or after the backend
 * is initialised (each replacement keeps the replaced kernel's setupFunc).
 *  - every backend: a Conv2D gradient that supports dilation (and tfjs-layers' conv2d routed to it when dilated), a FusedBatchNorm gradient without full-size
 *    tiles, a Relu gradient that is one kernel where the backend has it;
 *  - wasm: Conv2DBackpropFilter (missing upstream), a forward-conv Conv2DBackpropInput, matMuls that
 *    transpose explicitly instead of using XNNPACK's slow transposed path, a faster MaxPoolGrad, and
 *    Sum/Mean over leading axes without a transpose, an Identity that shares data instead of copying it;
 *  - wasm and cpu: the fused Adam step used by FusedAdamOptimizer, the training batch norm used by
 *    FastBatchNormalization and the one-pass Relu gradient (plain JS passes over float32 data).
 */
export function registerAblateKernels(): void {
  if (!gradientsRegistered) {
    tf.registerGradient(conv2dGradConfig);
    tf.registerGradient(fusedBatchNormGradConfig);
    tf.registerGradient(reluGradConfig);
    installDilatedConv2dLayerFix();
    gradientsRegistered = true;
  }
  if (tf.getKernel('Conv2D', 'wasm')) registerWasmKernels();
  for (const config of [...adamUpdateKernels, ...batchNormTrainingKernels, ...reluGradKernels]) {
    if (!tf.getKernel(config.kernelName, config.backendName) && tf.findBackendFactory(config.backendName)) tf.registerKernel(config);
  }
}

function registerWasmKernels(): void {
  install(tf.getKernel('Conv2DBackpropFilter', 'wasm'), () => conv2dBackpropFilterKernel('wasm'));
  const replacements = {
    Conv2DBackpropInput: (current: tf.KernelConfig) => conv2dBackpropInputKernel('wasm', current),
    BatchMatMul: untransposedMatMulKernel,
    _FusedMatMul: untransposedMatMulKernel,
    MaxPoolGrad: maxPoolGradKernel,
    Sum: leadingAxesReduceKernel,
    Mean: leadingAxesReduceKernel,
    Identity: sharedIdentityKernel,
  };
  for (const [name, make] of Object.entries(replacements)) {
    const current = tf.getKernel(name, 'wasm');
    if (current) install(current, () => make(current));
  }
}

function install(current: tf.KernelConfig | undefined, make: () => tf.KernelConfig): void {
  if (current && installed.has(current)) return;
  const replacement = make();
  if (current) tf.unregisterKernel(current.kernelName, current.backendName);
  tf.registerKernel(replacement);
  installed.add(replacement);
}
