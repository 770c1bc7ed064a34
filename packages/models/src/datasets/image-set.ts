import * as tf from '@tensorflow/tfjs';

/** Images as a flat array (row-major, values in [0, 1]) with one label per image. */
export interface ImageSet {
  /** `count * height * width * channels` pixel values. */
  pixels: Float32Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** Examples `start .. start+count-1` of `set` as an NHWC float tensor and one-hot labels. */
export function toTensors(set: ImageSet, start: number, count: number, numClasses = 10): { x: tf.Tensor4D; y: tf.Tensor2D } {
  if (start + count > set.count) {
    throw new Error(`asked for images ${start}..${start + count - 1} but the data set has ${set.count}`);
  }
  const per = set.height * set.width * set.channels;
  const x = tf.tensor4d(set.pixels.subarray(start * per, (start + count) * per), [count, set.height, set.width, set.channels]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(set.labels.subarray(start, start + count), 'int32'), numClasses) as tf.Tensor2D);
  return { x, y };
}

type Splits<T> = { train: T; validation: T; test: T };

/** Every image of each split as tensors ({@link toTensors}). */
export function splitTensors(splits: Splits<ImageSet>, numClasses: number): Splits<{ x: tf.Tensor4D; y: tf.Tensor2D }> {
  const all = (set: ImageSet) => toTensors(set, 0, set.count, numClasses);
  return { train: all(splits.train), validation: all(splits.validation), test: all(splits.test) };
}
