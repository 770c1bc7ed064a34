import * as tf from '@tensorflow/tfjs';

/** What the patched `call` reads from a tfjs-layers Conv2D (public fields at runtime, not in its .d.ts). */
interface Conv2DInternals {
  rank: number;
  dataFormat: 'channelsFirst' | 'channelsLast';
  strides: number[];
  padding: 'valid' | 'same' | 'causal';
  dilationRate: number | number[];
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { apply(x: tf.Tensor): tf.Tensor } | null;
}

type LayerCall = (this: Conv2DInternals, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

const PATCHED = Symbol.for('ablate.dilatedConv2dCall');

/**
 * Makes `tf.layers.conv2d` with dilation > 1 trainable whatever its activation. tfjs-layers runs every conv2d
 * through `tf.fused.conv2d`; under a gradient tape that op stays fused for `linear` (and for activations it does
 * not fuse, which it maps to `linear`), and the fused op's own gradient rejects dilation ("dilation rates greater
 * than 1 are not yet supported in gradients"). Only `relu` escaped, because TF.js unfuses it.
 *
 * For dilated NHWC 2D layers only, the layer's `call` becomes conv2d + bias + activation as separate ops, so the
 * Conv2D gradient registered by Ablate (which supports dilation) applies. Same weights, same maths, same saved
 * model format; undilated layers keep tfjs-layers' fused path. TF.js offers no hook for this, so the method is
 * replaced on Conv2D's prototype, once (idempotent).
 */
export function installDilatedConv2dLayerFix(): void {
  const prototype = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 })) as { call: LayerCall; [PATCHED]?: true };
  if (prototype[PATCHED]) return;
  const original = prototype.call;
  prototype.call = function (this: Conv2DInternals, inputs, kwargs) {
    const dilations = typeof this.dilationRate === 'number' ? [this.dilationRate, this.dilationRate] : this.dilationRate;
    const padding = this.padding;
    if (this.rank !== 2 || this.dataFormat !== 'channelsLast' || padding === 'causal' || dilations.every((d) => d === 1)) {
      return original.call(this, inputs, kwargs);
    }
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      let y: tf.Tensor = tf.conv2d(x, this.kernel.read() as tf.Tensor4D, [this.strides[0] ?? 1, this.strides[1] ?? 1], padding, 'NHWC', [dilations[0] ?? 1, dilations[1] ?? 1]);
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.activation ? this.activation.apply(y) : y;
    });
  };
  prototype[PATCHED] = true;
}
