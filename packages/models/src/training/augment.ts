import * as tf from '@tensorflow/tfjs';
import type { SeededRng } from './rng.js';

/** Largest random transforms, as Keras' ImageDataGenerator takes them. */
export interface AugmentOptions {
  /** Degrees. */
  rotation: number;
  /** Fractions of the width / height. */
  widthShift: number;
  heightShift: number;
  /** Radians. */
  shear: number;
  /** Scale drawn from [1 - zoom, 1 + zoom] per axis. */
  zoom: number;
  horizontalFlip: boolean;
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

const mul = (a: Mat3, b: Mat3): Mat3 => {
  const at = (r: number, c: number) => a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
  return [at(0, 0), at(0, 1), at(0, 2), at(1, 0), at(1, 1), at(1, 2), at(2, 0), at(2, 1), at(2, 2)];
};

/**
 * One random affine map per image from output pixel (x, y) to input pixel, composed about the
 * image centre like Keras' `apply_affine_transform`: rotation, shear, zoom, flip, then shift.
 * Returned in `tf.image.transform`'s 8-number projective form.
 */
export function randomAffine(o: AugmentOptions, width: number, height: number, rng: SeededRng): number[] {
  const theta = (rng.uniform(-o.rotation, o.rotation) * Math.PI) / 180;
  const shear = rng.uniform(-o.shear, o.shear);
  const zx = rng.uniform(1 - o.zoom, 1 + o.zoom);
  const zy = rng.uniform(1 - o.zoom, 1 + o.zoom);
  const flip = o.horizontalFlip && rng.next() < 0.5 ? -1 : 1;
  const tx = rng.uniform(-o.widthShift, o.widthShift) * width;
  const ty = rng.uniform(-o.heightShift, o.heightShift) * height;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const toCentre: Mat3 = [1, 0, -cx, 0, 1, -cy, 0, 0, 1];
  const back: Mat3 = [1, 0, cx + tx, 0, 1, cy + ty, 0, 0, 1];
  const rotate: Mat3 = [Math.cos(theta), -Math.sin(theta), 0, Math.sin(theta), Math.cos(theta), 0, 0, 0, 1];
  const shearM: Mat3 = [1, -Math.sin(shear), 0, 0, Math.cos(shear), 0, 0, 0, 1];
  const scale: Mat3 = [zx * flip, 0, 0, 0, zy, 0, 0, 0, 1];
  const m = mul(back, mul(rotate, mul(shearM, mul(scale, toCentre))));
  return [m[0], m[1], m[2], m[3], m[4], m[5], 0, 0];
}

/** On-the-fly augmentation of an NHWC batch: a fresh random affine map per image, edges filled with the nearest pixel. */
export function augmentImages(o: AugmentOptions): (x: tf.Tensor, rng: SeededRng) => tf.Tensor {
  return (x, rng) => {
    const [n, h, w] = x.shape as [number, number, number, number];
    const transforms: number[] = [];
    for (let i = 0; i < n; i++) transforms.push(...randomAffine(o, w, h, rng));
    return tf.tidy(() => tf.image.transform(x as tf.Tensor4D, tf.tensor2d(transforms, [n, 8]), 'bilinear', 'nearest'));
  };
}
