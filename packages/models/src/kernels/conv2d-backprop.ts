import type * as tf from '@tensorflow/tfjs';
import type { Conv2DGeometry } from './conv2d-geometry.js';
import type { KernelRunner } from './kernel-runner.js';

/*
 * Both conv2d gradients rewritten as *forward* convolutions, the one kind of convolution every backend runs
 * fast (on wasm XNNPACK's conv is ~15-25 GFLOP/s while its conv2dTranspose and transposed matMuls run at
 * 1-3 GFLOP/s). They also handle dilation, which TF.js's own gradients reject.
 */

/**
 * dW[kh,kw,ci,co] = sum_{n,oh,ow} xpad[n, oh*s + kh*d, ow*s + kw*d, ci] * dy[n,oh,ow,co].
 * Read x as a batch of `ci` images with `n` channels ([ci,H,W,n]) and dy as a filter ([OH,OW,n,co]): that is a
 * forward conv with stride d and dilation s (the forward's stride and dilation swap roles), giving
 * [ci,KH,KW,co] after cropping the rows that padding may add.
 */
export function conv2dBackpropFilterViaConv(r: KernelRunner, x: tf.TensorInfo, dy: tf.TensorInfo, g: Conv2DGeometry): tf.TensorInfo {
  const [kh, kw, ci, co] = g.filterShape;
  const xT = r.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = r.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const pad = [[0, 0], [g.pad.top, g.pad.bottom], [g.pad.left, g.pad.right], [0, 0]];
  const conv = paddedConv(r, xT, dyT, pad, g.dilations, g.strides);
  r.dispose(xT);
  r.dispose(dyT);
  let cropped = conv;
  if (conv.shape[1] !== kh || conv.shape[2] !== kw) {
    cropped = r.run('Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
    r.dispose(conv);
  }
  const dw = r.run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
  r.dispose(cropped);
  return dw;
}

/** Padding of the forward conv that computes dx, or undefined where the trick does not apply (stride > 1). */
export function backpropInputPadding(g: Conv2DGeometry): number[][] | undefined {
  if (g.strides[0] !== 1 || g.strides[1] !== 1) return undefined;
  const [, h, w] = g.inShape;
  const [kh, kw] = g.filterShape;
  const top = (kh - 1) * g.dilations[0] - g.pad.top;
  const left = (kw - 1) * g.dilations[1] - g.pad.left;
  const bottom = h - g.outHeight + (kh - 1) * g.dilations[0] - top;
  const right = w - g.outWidth + (kw - 1) * g.dilations[1] - left;
  if (Math.min(top, left, bottom, right) < 0) return undefined;
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/**
 * dx[n,h,w,ci] = sum dy[n, h + pt - kh*d, w + pl - kw*d, co] * W[kh,kw,ci,co] for stride 1: a forward conv
 * of dy with the filter flipped in space and its channel axes swapped ([KH,KW,co,ci]), same dilation.
 * Returns undefined when {@link backpropInputPadding} does; callers fall back to the backend's own kernel.
 */
export function conv2dBackpropInputViaConv(r: KernelRunner, dy: tf.TensorInfo, filter: tf.TensorInfo, g: Conv2DGeometry): tf.TensorInfo | undefined {
  const pad = backpropInputPadding(g);
  if (!pad) return undefined;
  const flipped = r.run('Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = r.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
  r.dispose(flipped);
  const dx = paddedConv(r, dy, swapped, pad, [1, 1], g.dilations);
  r.dispose(swapped);
  return dx;
}

/** Conv2D with explicit padding, or PadV2 + a valid conv where the backend's Conv2D lacks explicit padding. */
function paddedConv(r: KernelRunner, x: tf.TensorInfo, filter: tf.TensorInfo, pad: number[][], strides: number[], dilations: number[]): tf.TensorInfo {
  if (r.explicitConvPadding()) return r.run('Conv2D', { x, filter }, { strides, pad, dilations, dataFormat: 'NHWC' });
  const padded = r.run('PadV2', { x }, { paddings: pad, constantValue: 0 });
  const out = r.run('Conv2D', { x: padded, filter }, { strides, pad: 'valid', dilations, dataFormat: 'NHWC' });
  r.dispose(padded);
  return out;
}
