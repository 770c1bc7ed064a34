export {
  CausalConv1D,
  causalConv1d,
  CAUSAL_ACTIVATIONS,
  CAUSAL_INITIALIZERS,
  type CausalActivation,
  type CausalConv1DConfig,
  type CausalInitializer,
} from './causal-conv1d.layer.js';
