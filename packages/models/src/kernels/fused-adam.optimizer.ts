import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './adam-update.kernel.js';

/** AdamOptimizer's state (public at runtime, private in its .d.ts), reused so get/setWeights keep working. */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

/**
 * `tf.train.adam` with the per-variable update fused into one kernel ({@link ADAM_UPDATE}) on backends that
 * have it (wasm, cpu); elsewhere (native tensorflow, webgl) it is the stock optimizer. Same maths, same slot
 * variables and weights, so checkpoints of either load into the other.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  static override get className(): string {
    return 'FusedAdam';
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamInternals;
    const entries = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor] as const) : Object.entries(variableGradients);
    const [accBeta1, accBeta2] = [self.accBeta1.dataSync()[0] ?? 0, self.accBeta2.dataSync()[0] ?? 0];
    const attrs: AdamUpdateAttrs = {
      learningRate: self.learningRate,
      beta1: self.beta1,
      beta2: self.beta2,
      epsilon: self.epsilon,
      oneMinusAccBeta1: 1 - accBeta1,
      oneMinusAccBeta2: 1 - accBeta2,
    };
    tf.tidy(() => {
      entries.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new Error(`FusedAdamOptimizer: no variable named '${name}'`);
        const m = (self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
        const v = (self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
        if (!gradient) return;
        const inputs = { param: value, grad: gradient, m: m.variable, v: v.variable };
        const [p1, m1, v1] = tf.engine().runKernel<tf.Tensor[]>(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap);
        m.variable.assign(m1 as tf.Tensor);
        v.variable.assign(v1 as tf.Tensor);
        value.assign(p1 as tf.Tensor);
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  }
}
tf.serialization.registerClass(FusedAdamOptimizer);

/** Factory in the style of `tf.train.adam` (same defaults). */
export function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
