import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { centralDifferences, maxRelativeError, randomValues } from '../kernels/testing/conv-reference.js';
import { CausalConv1D, causalConv1d } from './causal-conv1d.layer.js';

/** Float64 causal dilated conv1d, one batch, [steps, cin] x [k, cin, cout]: the definition the layer must meet. */
function refCausal(x: Float64Array, steps: number, cin: number, w: Float64Array, k: number, cout: number, d: number): Float64Array {
  const out = new Float64Array(steps * cout);
  for (let t = 0; t < steps; t++)
    for (let j = 0; j < k; j++) {
      const src = t - (k - 1 - j) * d;
      if (src < 0) continue;
      for (let c = 0; c < cin; c++)
        for (let o = 0; o < cout; o++) out[t * cout + o] = (out[t * cout + o] ?? 0) + (x[src * cin + c] ?? 0) * (w[(j * cin + c) * cout + o] ?? 0);
    }
  return out;
}

describe.each(['wasm', 'cpu'])('CausalConv1D on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it("passes the course's toy check: 10,20,30 with weights (1,2) gives 20,50,80", () => {
    const layer = causalConv1d({ filters: 1, kernelSize: 2, useBias: false, inputShape: [3, 1] });
    const model = tf.sequential({ layers: [layer] });
    layer.setWeights([tf.tensor3d([1, 2], [2, 1, 1])]);
    const y = model.predict(tf.tensor3d([10, 20, 30], [1, 3, 1])) as tf.Tensor;
    expect(y.shape).toEqual([1, 3, 1]);
    expect(Array.from(y.dataSync())).toEqual([20, 50, 80]);
    tf.dispose([y]);
    model.dispose();
  });

  it('four layers with dilations 1,2,4,8 and kernel 2 look back exactly 15 steps', () => {
    const steps = 40;
    const model = tf.sequential();
    for (const [i, d] of [1, 2, 4, 8].entries()) {
      model.add(causalConv1d({ filters: 3, kernelSize: 2, dilationRate: d, kernelInitializer: 'ones', biasInitializer: 'ones', ...(i === 0 ? { inputShape: [steps, 1] } : {}) }));
    }
    const changed = tf.tidy(() => {
      const base = tf.zeros([1, steps, 1]);
      const bumped = tf.tensor3d(Array.from({ length: steps }, (_, t) => (t === 10 ? 1 : 0)), [1, steps, 1]);
      const diff = tf.sub(model.predict(bumped) as tf.Tensor, model.predict(base) as tf.Tensor).abs().sum(2);
      return Array.from(diff.dataSync()).flatMap((v, t) => (v > 0 ? [t] : []));
    });
    expect(changed).toEqual(Array.from({ length: 16 }, (_, i) => 10 + i));
    model.dispose();
  });

  it.each([1, 2, 4, 8])('gradients with dilation %i match central finite differences', (d) => {
    const [steps, cin, cout, k] = [20, 2, 3, 3];
    const x = randomValues(steps * cin, 11 + d);
    const w = randomValues(k * cin * cout, 12 + d);
    const r = randomValues(steps * cout, 13 + d);
    const wantDx = centralDifferences(x, r, (v) => refCausal(v, steps, cin, w, k, cout, d));
    const wantDw = centralDifferences(w, r, (v) => refCausal(x, steps, cin, v, k, cout, d));
    const layer = new CausalConv1D({ filters: cout, kernelSize: k, dilationRate: d, useBias: false });
    layer.build([1, steps, cin]);
    layer.setWeights([tf.tensor3d(Float32Array.from(w), [k, cin, cout])]);
    const [gotDx, gotDw] = tf.tidy(() => {
      const weights = tf.tensor3d(Float32Array.from(r), [1, steps, cout]);
      const xs = tf.tensor3d(Float32Array.from(x), [1, steps, cin]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xs) as tf.Tensor, weights)));
      const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, weights)))(xs);
      value.dispose();
      return [dx.dataSync(), Object.values(grads)[0]?.dataSync() ?? new Float32Array()];
    });
    expect(maxRelativeError(gotDx, wantDx)).toBeLessThan(1e-4);
    expect(maxRelativeError(gotDw, wantDw)).toBeLessThan(1e-4);
    for (const weight of layer.weights) weight.dispose();
  });

  it('trains a dilated stack with fit() and round-trips through serialization', async () => {
    const model = tf.sequential();
    for (const [i, d] of [1, 2, 4, 8].entries()) {
      model.add(causalConv1d({ filters: 4, kernelSize: 2, dilationRate: d, activation: 'relu', seed: i, ...(i === 0 ? { inputShape: [32, 1] } : {}) }));
    }
    // Seeded too, so the loss curve is the same on every run (an unseeded head made this test flaky).
    model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }));
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const xs = tf.tidy(() => tf.sin(tf.linspace(0, 12, 32 * 8)).reshape([8, 32, 1]));
    const ys = tf.tidy(() => xs.mul(0.5).add(0.2));
    const history = await model.fit(xs, ys, { epochs: 20, batchSize: 8, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] ?? 0) * 0.7);

    const copy = await tf.models.modelFromJSON(model.toJSON(null, false) as Parameters<typeof tf.models.modelFromJSON>[0]);
    copy.setWeights(model.getWeights());
    expect(copy.layers[0]).toBeInstanceOf(CausalConv1D);
    const diff = tf.tidy(() => tf.sub(copy.predict(xs) as tf.Tensor, model.predict(xs) as tf.Tensor).abs().max().dataSync()[0]);
    expect(diff).toBe(0);
    tf.dispose([xs, ys]);
    model.dispose();
    copy.dispose();
  });
});
