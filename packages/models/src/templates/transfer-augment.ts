import * as tf from '@tensorflow/tfjs';
import { Cifar10CnnParams } from '@ablate/contracts';
import { augmentImages, type AugmentOptions } from '../training/augment.js';
import type { SeededRng } from '../training/rng.js';
import type { FeatureExtractor } from './feature-extractor.js';

/** The course's augmentation, as the CNN template's defaults: rotation 15°, shifts, shear and zoom 0.15, flip. */
export const COURSE_AUGMENTATION: AugmentOptions = (() => {
  const { rotation, widthShift, heightShift, shear, zoom, horizontalFlip } = Cifar10CnnParams.parse({});
  return { rotation, widthShift, heightShift, shear, zoom, horizontalFlip };
})();

/**
 * The dense head's training inputs under `augment`: each batch of 0..255 images gets fresh random
 * transforms drawn from the trial's RNG (new ones every epoch; the same ones for the same seed, and
 * after a resume, as the RNG's state is checkpointed), then goes through the frozen extractor. It
 * plugs into trainModel's `augment` hook, whose training batches are images here, not features:
 * augmented images have no features to cache.
 */
export function augmentedFeatures(extractor: FeatureExtractor, options: AugmentOptions = COURSE_AUGMENTATION): (x: tf.Tensor, rng: SeededRng) => tf.Tensor {
  const augment = augmentImages(options);
  return (x, rng) => tf.tidy(() => extractor.features(extractor.prepare(augment(x, rng) as tf.Tensor4D)));
}
