import { RandomForestClassifier } from 'ml-random-forest';
import type { ImageSet } from '../datasets/image-set.js';

export interface ForestOptions {
  trees: number;
  /** Share of the features each tree sees (ml-random-forest samples features per tree, not per split). */
  maxFeatures: number;
  maxDepth: number;
  seed: number;
}

/** Rows of raw feature values, one per example. */
export function rowsOf(set: Pick<ImageSet, 'pixels' | 'count'>): number[][] {
  const per = set.pixels.length / set.count;
  return Array.from({ length: set.count }, (_, i) => Array.from(set.pixels.subarray(i * per, (i + 1) * per)));
}

/** Trains a seeded random forest and returns its accuracy on the test rows. */
export function forestAccuracy(o: ForestOptions, train: number[][], trainLabels: ArrayLike<number>, test: number[][], testLabels: ArrayLike<number>): number {
  const columns = train[0]?.length ?? 0;
  const forest = new RandomForestClassifier({
    nEstimators: o.trees,
    // an integer count: ml-random-forest reads 1.0 as "one feature"
    maxFeatures: Math.max(1, Math.round(columns * o.maxFeatures)),
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: o.seed,
    treeOptions: { maxDepth: o.maxDepth },
    isClassifier: true,
  });
  forest.train(train, Array.from(trainLabels));
  const predicted = forest.predict(test);
  let correct = 0;
  predicted.forEach((p, i) => (correct += p === testLabels[i] ? 1 : 0));
  return correct / test.length;
}
