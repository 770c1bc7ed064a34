import * as tf from '@tensorflow/tfjs';

type Pair = [number, number];

/** What the gradient formulas need to know about one NHWC Conv2D: sizes and the padding actually applied. */
export interface Conv2DGeometry {
  /** [batch, height, width, inChannels] of the forward input. */
  inShape: [number, number, number, number];
  /** [filterHeight, filterWidth, inChannels, outChannels]. */
  filterShape: [number, number, number, number];
  outHeight: number;
  outWidth: number;
  strides: Pair;
  dilations: Pair;
  pad: { top: number; bottom: number; left: number; right: number };
}

export interface Conv2DAttrsLike {
  strides: number | Pair;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | Pair;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

export function conv2dGeometry(inShape: readonly number[], filterShape: readonly number[], attrs: Conv2DAttrsLike): Conv2DGeometry {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error('Ablate conv2d gradients support dataFormat NHWC only (the layout tfjs-layers uses)');
  }
  const x = as4(inShape, 'input');
  const f = as4(filterShape, 'filter');
  const info = tf.backend_util.computeConv2DInfo(x, f, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  return {
    inShape: x,
    filterShape: f,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    pad: { top: info.padInfo.top, bottom: info.padInfo.bottom, left: info.padInfo.left, right: info.padInfo.right },
  };
}

function as4(shape: readonly number[], what: string): [number, number, number, number] {
  const [a, b, c, d] = shape;
  if (shape.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new Error(`Expected a rank-4 ${what} shape, got [${shape.join(', ')}]`);
  }
  return [a, b, c, d];
}
