import * as tf from '@tensorflow/tfjs';

/** Activations a CausalConv1D can apply after the convolution. */
export const CAUSAL_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'softplus'] as const;
export type CausalActivation = (typeof CAUSAL_ACTIVATIONS)[number];

/** Weight initialisers accepted by name (the subset of tf.initializers a config file can ask for). */
export const CAUSAL_INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'leCunNormal', 'zeros', 'ones'] as const;
export type CausalInitializer = (typeof CAUSAL_INITIALIZERS)[number];

export interface CausalConv1DConfig {
  filters: number;
  kernelSize: number;
  /** Spacing between kernel taps; the layer sees `(kernelSize - 1) * dilationRate` steps back. Default 1. */
  dilationRate?: number;
  activation?: CausalActivation;
  useBias?: boolean;
  kernelInitializer?: CausalInitializer;
  biasInitializer?: CausalInitializer;
  /** Seed for the kernel initialiser, so a trial's seed fixes its initial weights. */
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
  trainable?: boolean;
}

/**
 * Keras' `Conv1D(padding='causal')`, which tfjs-layers gets wrong (wrong output length, then "not implemented"
 * in training): zero-pads `(kernelSize - 1) * dilationRate` steps on the left only and applies a valid,
 * dilated cross-correlation, so output step t depends on input steps <= t and the length is unchanged.
 * Input [batch, steps, channels], output [batch, steps, filters].
 */
export class CausalConv1D extends tf.layers.Layer {
  static readonly className = 'CausalConv1D';
  private readonly cfg: Required<Omit<CausalConv1DConfig, 'name' | 'inputShape' | 'trainable' | 'seed'>> & { seed?: number };
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(config: CausalConv1DConfig) {
    super(config);
    this.cfg = {
      filters: positiveInt(config.filters, 'filters'),
      kernelSize: positiveInt(config.kernelSize, 'kernelSize'),
      dilationRate: positiveInt(config.dilationRate ?? 1, 'dilationRate'),
      activation: oneOf(config.activation ?? 'linear', CAUSAL_ACTIVATIONS, 'activation'),
      useBias: config.useBias ?? true,
      kernelInitializer: oneOf(config.kernelInitializer ?? 'glorotUniform', CAUSAL_INITIALIZERS, 'kernelInitializer'),
      biasInitializer: oneOf(config.biasInitializer ?? 'zeros', CAUSAL_INITIALIZERS, 'biasInitializer'),
      seed: config.seed,
    };
  }

  /** Steps of history one output sees, itself included: `(kernelSize - 1) * dilationRate + 1`. */
  get receptiveField(): number {
    return (this.cfg.kernelSize - 1) * this.cfg.dilationRate + 1;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (shape.length !== 3 || channels == null) {
      throw new Error(`CausalConv1D expects input [batch, steps, channels] with known channels, got [${shape.join(', ')}]`);
    }
    const { kernelSize, filters, seed } = this.cfg;
    this.kernel = this.addWeight('kernel', [kernelSize, channels, filters], 'float32', initializer(this.cfg.kernelInitializer, seed));
    if (this.cfg.useBias) this.bias = this.addWeight('bias', [filters], 'float32', initializer(this.cfg.biasInitializer, seed));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, shape[1] ?? null, this.cfg.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      if (!this.kernel) throw new Error('CausalConv1D called before build()');
      const padded = tf.pad(x, [[0, 0], [this.receptiveField - 1, 0], [0, 0]]);
      const conv = tf.conv1d(padded, this.kernel.read() as tf.Tensor3D, 1, 'valid', 'NWC', this.cfg.dilationRate);
      const biased = this.bias ? tf.add(conv, this.bias.read()) : conv;
      return activate(biased, this.cfg.activation);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { seed, ...rest } = this.cfg;
    return { ...super.getConfig(), ...rest, ...(seed === undefined ? {} : { seed }) };
  }
}
tf.serialization.registerClass(CausalConv1D);

/** Factory in the style of `tf.layers.conv1d`. */
export function causalConv1d(config: CausalConv1DConfig): CausalConv1D {
  return new CausalConv1D(config);
}

function activate(x: tf.Tensor, activation: CausalActivation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'softplus':
      return tf.softplus(x);
  }
}

function initializer(name: CausalInitializer, seed: number | undefined): ReturnType<typeof tf.initializers.zeros> {
  switch (name) {
    case 'glorotUniform':
      return tf.initializers.glorotUniform({ seed });
    case 'glorotNormal':
      return tf.initializers.glorotNormal({ seed });
    case 'heNormal':
      return tf.initializers.heNormal({ seed });
    case 'heUniform':
      return tf.initializers.heUniform({ seed });
    case 'leCunNormal':
      return tf.initializers.leCunNormal({ seed });
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
  }
}

function positiveInt(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`CausalConv1D: ${field} must be a positive integer, got ${value}`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`CausalConv1D: ${field} must be one of ${allowed.join(', ')}, got '${value}'`);
  }
  return value as T;
}
