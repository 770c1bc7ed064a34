import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv, conv2dBackpropInputViaConv } from './conv2d-backprop.js';
import { conv2dGeometry, type Conv2DAttrsLike } from './conv2d-geometry.js';
import { engineRunner } from './kernel-runner.js';

/**
 * Gradient of `Conv2D` that also supports dilation > 1 (TF.js's throws "dilation rates greater than 1 are not
 * yet supported in gradients"), on every backend. Undilated convolutions keep TF.js's own backprop kernels, so
 * native backends keep their fast implementations; dilated ones become forward convolutions (stride is 1 there:
 * TF.js allows a stride or a dilation above 1, not both). Dilated 1D convs (tf.conv1d, tfjs-layers conv1d,
 * {@link CausalConv1D}) run through this too.
 */
export const conv2dGradConfig: tf.GradConfig = {
  kernelName: 'Conv2D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = attrs as unknown as Conv2DAttrsLike;
    const g = conv2dGeometry(x.shape, filter.shape, a);
    const dilated = g.dilations[0] > 1 || g.dilations[1] > 1;
    const upstream = dy as tf.Tensor4D;
    if (!dilated) {
      const common = { strides: a.strides, pad: a.pad, dataFormat: a.dataFormat ?? 'NHWC', dimRoundingMode: a.dimRoundingMode };
      return {
        x: () => tf.engine().runKernel<tf.Tensor>('Conv2DBackpropInput', { dy: upstream, filter }, { ...common, inputShape: x.shape } as unknown as tf.NamedAttrMap),
        filter: () => tf.engine().runKernel<tf.Tensor>('Conv2DBackpropFilter', { x, dy: upstream }, { ...common, filterShape: filter.shape } as unknown as tf.NamedAttrMap),
      };
    }
    return {
      x: () => {
        const dx = conv2dBackpropInputViaConv(engineRunner, upstream, filter, g);
        if (!dx) throw new Error(`Conv2D gradient: unsupported padding ${JSON.stringify(a.pad)} with dilations [${g.dilations.join(', ')}]`);
        return dx as tf.Tensor;
      },
      filter: () => conv2dBackpropFilterViaConv(engineRunner, x, upstream, g) as tf.Tensor,
    };
  },
};
