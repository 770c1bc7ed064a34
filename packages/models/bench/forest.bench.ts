/**
 * `npm run bench:forest`: why the `random-forest` template trains Ablate's histogram forest
 * (src/templates/random-forest.ts) rather than ml-random-forest. Both train on the same CIFAR-10 subset with the
 * same trees, depth, bootstrap and number of candidate features; the bench prints train time, test accuracy and the
 * ratio, then trains our forest alone with the template's defaults on 10,000 images.
 *
 * ml-random-forest draws its feature subset once per tree (ours draws one at every split, as scikit-learn does);
 * the same count per tree is the closest setting it has. Its tree (ml-cart, TreeNode.bestSplit) re-splits the whole
 * column for every candidate threshold, O(n²) per feature and node, so it gets a small subset.
 *
 * Env: BENCH_FOREST_SMALL (head-to-head training images, default 500), BENCH_FOREST_TREES (default 10),
 * BENCH_FOREST_TEST (test images, default 2,000), BENCH_FOREST_FULL (last run's training and test images, default
 * 10,000; 0 skips it), ABLATE_DATA_DIR (default ../shared/datasets beside the repository; CIFAR-10 is downloaded there if missing).
 */
import { createRequire } from 'node:module';
import { RandomForestClassifier } from 'ml-random-forest';
import { ensureCifar10, readCifar10 } from '../src/datasets/cifar10.js';
import { SHARED_DATASETS } from '../src/testing/shared-datasets.js';
import type { ImageSet } from '../src/datasets/image-set.js';
import { slice } from '../src/datasets/image-splits.js';
import { binRows, predictForest, trainForest, type ForestOptions } from '../src/templates/random-forest.js';

const SMALL = Number(process.env.BENCH_FOREST_SMALL ?? 500);
const TREES = Number(process.env.BENCH_FOREST_TREES ?? 10);
const TEST = Number(process.env.BENCH_FOREST_TEST ?? 2000);
const FULL = Number(process.env.BENCH_FOREST_FULL ?? 10_000);
/** The template's defaults (packages/contracts random-forest.params.ts). */
const DEFAULTS: ForestOptions = { trees: 100, maxFeatures: 0.02, maxDepth: 20, seed: 1 };
const TRAIN_FILES = ['data_batch_1.bin'];

interface Run {
  trainSeconds: number;
  predictSeconds: number;
  accuracy: number;
}

function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) correct += predicted[i] === labels[i] ? 1 : 0;
  return correct / labels.length;
}

function rows(set: ImageSet): number[][] {
  const d = set.pixels.length / set.count;
  return Array.from({ length: set.count }, (_, i) => Array.from(set.pixels.subarray(i * d, (i + 1) * d)));
}

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, (performance.now() - start) / 1000];
}

function runMlRandomForest(o: ForestOptions, train: ImageSet, test: ImageSet): Run {
  // minNumSamples 1: ml-cart makes a leaf at <= minNumSamples rows, ours at < 2, so both split any node of 2+.
  const rf = new RandomForestClassifier({
    nEstimators: o.trees,
    maxFeatures: o.maxFeatures,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: o.seed,
    treeOptions: { maxDepth: o.maxDepth, minNumSamples: 1 },
  });
  const [xTrain, xTest] = [rows(train), rows(test)];
  const [, trainSeconds] = timed(() => rf.train(xTrain, Array.from(train.labels)));
  const [predicted, predictSeconds] = timed(() => rf.predict(xTest));
  return { trainSeconds, predictSeconds, accuracy: accuracy(predicted, test.labels) };
}

function runOurForest(o: ForestOptions, train: ImageSet, test: ImageSet): Run {
  const d = train.pixels.length / train.count;
  const [trees, trainSeconds] = timed(() => {
    const { rows: binned, ranges } = binRows(train.pixels, train.count, d);
    return { forest: trainForest(o, binned, train.labels, 10), ranges };
  });
  const [predicted, predictSeconds] = timed(() =>
    predictForest(trees.forest, binRows(test.pixels, test.count, d, trees.ranges).rows, 10),
  );
  return { trainSeconds, predictSeconds, accuracy: accuracy(predicted, test.labels) };
}

/** Accuracy in percent, rounded to the one decimal printed (differences are taken between printed values). */
const percent = (r: Run): number => Math.round(r.accuracy * 1000) / 10;
const count = (n: number): string => n.toLocaleString('en-US');

function line(label: string, r: Run, note = ''): string {
  const t = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`.padStart(8);
  return `  ${label.padEnd(26)} train ${t(r.trainSeconds)}  predict ${t(r.predictSeconds)}  test acc ${percent(r).toFixed(1).padStart(4)} %  ${note}`.trimEnd();
}

/** Both forests on the same small subset, same trees, depth, bootstrap and feature count. */
function headToHead(train: ImageSet, test: ImageSet): void {
  const mlVersion = (createRequire(import.meta.url)('ml-random-forest/package.json') as { version: string })
    .version;
  const same: ForestOptions = { ...DEFAULTS, trees: TREES };
  const features = Math.round(3072 * same.maxFeatures);
  console.log(
    `CIFAR-10 raw pixels (3,072 features), ${count(SMALL)} training images (data_batch_1), ${count(TEST)} test images`,
  );
  console.log(
    `${same.trees} trees, depth ≤ ${same.maxDepth}, bootstrap rows, ${features} features (${same.maxFeatures * 100} %), seed ${same.seed}:`,
  );
  const ml = runMlRandomForest(same, train, test);
  const mlNote = '(features drawn once per tree; ml-cart exact O(n²) split search)';
  console.log(line(`ml-random-forest ${mlVersion}`, ml, mlNote));
  const ours = runOurForest(same, train, test);
  console.log(line('Ablate histogram forest', ours, '(features drawn at every split; 32-bin histograms)'));
  const points = percent(ml) - percent(ours);
  console.log(
    `  ratio: ml-random-forest trains ${(ml.trainSeconds / ours.trainSeconds).toFixed(0)}× slower, ${points >= 0 ? '+' : ''}${points.toFixed(1)} accuracy points`,
  );
}

/** Our forest alone with the template's defaults at the size the template runs by default. */
function templateDefaults(train: ImageSet, test: ImageSet): void {
  console.log(
    `Template defaults (${DEFAULTS.trees} trees, depth ≤ ${DEFAULTS.maxDepth}, ${DEFAULTS.maxFeatures * 100} % features per split), ${count(FULL)} training / ${count(FULL)} test images:`,
  );
  console.log(line('Ablate histogram forest', runOurForest(DEFAULTS, train, test)));
}

async function main(): Promise<void> {
  const dataDir = process.env.ABLATE_DATA_DIR ?? SHARED_DATASETS;
  const dir = await ensureCifar10({ dataDir, log: console.log });
  // Each file is read once, at the larger of the two sizes; both runs take the first images of it.
  const [train, test] = await Promise.all([
    readCifar10(dir, TRAIN_FILES, Math.max(SMALL, FULL)),
    readCifar10(dir, ['test_batch.bin'], Math.max(TEST, FULL)),
  ]);
  headToHead(slice(train, 0, SMALL), slice(test, 0, TEST));
  if (FULL > 0) templateDefaults(slice(train, 0, FULL), slice(test, 0, FULL));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
