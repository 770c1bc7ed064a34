export {
  CausalConv1D,
  causalConv1d,
  CAUSAL_ACTIVATIONS,
  CAUSAL_INITIALIZERS,
  type CausalActivation,
  type CausalConv1DConfig,
  type CausalInitializer,
} from './causal-conv1d.layer.js';
export { FastBatchNormalization, fastBatchNormalization } from './fast-batch-norm.layer.js';
export { batchNormTraining, type BatchNormTrainingResult } from './batch-norm-training.op.js';
export { installDilatedConv2dLayerFix } from './dilated-conv2d.patch.js';
