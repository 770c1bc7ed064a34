export { registerAblateKernels } from './register-kernels.js';
export { conv2dBackpropFilterViaConv, conv2dBackpropInputViaConv } from './conv2d-backprop.js';
export { conv2dGeometry, type Conv2DGeometry } from './conv2d-geometry.js';
export { backendRunner, engineRunner, type KernelRunner } from './kernel-runner.js';
export { FusedAdamOptimizer, fusedAdam } from './fused-adam.optimizer.js';
export { ADAM_UPDATE, type AdamUpdateAttrs } from './adam-update.kernel.js';
export { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from './batch-norm-training.kernel.js';
