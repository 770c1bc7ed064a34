import { SeededRng } from '../training/rng.js';

/**
 * A random forest classifier (Gini, bootstrap, a random feature subset per split, like
 * scikit-learn's default the course uses) on features binned to 32 levels. Written here because
 * none of the npm libraries tried trains this forest, with these params, on 10,000 CIFAR images
 * in a baseline's time (docs/benchmarks.md, "Random forest"). ml-random-forest's trees (ml-cart
 * TreeNode.bestSplit) re-split the whole column for every label change as a threshold, O(n²) per
 * feature and node: 6.6 min for 10 trees on 2,000 images, where the histogram search below takes
 * under a second. `npm run bench:forest` re-runs that comparison.
 */
export interface ForestOptions {
  trees: number;
  /** Share of the features considered at each split. */
  maxFeatures: number;
  maxDepth: number;
  seed: number;
}

const BINS = 32;

/** Features binned to 0..BINS-1 with per-feature ranges from the training rows. */
export interface BinnedRows {
  bins: Uint8Array;
  n: number;
  d: number;
}

/** Bins `n` rows of `d` features; pass the training `ranges` back in to bin test rows the same way. */
export function binRows(data: Float32Array, n: number, d: number, ranges?: { min: Float32Array; max: Float32Array }) {
  const min = ranges?.min ?? new Float32Array(d).fill(Infinity);
  const max = ranges?.max ?? new Float32Array(d).fill(-Infinity);
  if (!ranges) {
    for (let i = 0; i < n * d; i++) {
      const f = i % d;
      if (data[i]! < min[f]!) min[f] = data[i]!;
      if (data[i]! > max[f]!) max[f] = data[i]!;
    }
  }
  const bins = new Uint8Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const f = i % d;
    const span = max[f]! - min[f]!;
    const b = span > 0 ? Math.floor(((data[i]! - min[f]!) / span) * BINS) : 0;
    bins[i] = Math.min(BINS - 1, Math.max(0, b));
  }
  return { rows: { bins, n, d } as BinnedRows, ranges: { min, max } };
}

interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Class distribution at leaves (null at split nodes). */
  leaf: (Float32Array | null)[];
}

export function trainForest(o: ForestOptions, x: BinnedRows, y: ArrayLike<number>, classes: number): Tree[] {
  const rng = new SeededRng(o.seed);
  const mtry = Math.max(1, Math.round(x.d * o.maxFeatures));
  return Array.from({ length: o.trees }, () => {
    const sample = new Int32Array(x.n);
    for (let i = 0; i < x.n; i++) sample[i] = Math.floor(rng.next() * x.n);
    return growTree(x, y, classes, sample, mtry, o.maxDepth, rng);
  });
}

function growTree(x: BinnedRows, y: ArrayLike<number>, classes: number, idx: Int32Array, mtry: number, maxDepth: number, rng: SeededRng): Tree {
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], leaf: [] };
  const features = Int32Array.from({ length: x.d }, (_, i) => i);
  const hist = new Float64Array(BINS * classes);
  const stack: { start: number; end: number; depth: number; node: number }[] = [{ start: 0, end: idx.length, depth: 0, node: newNode(tree) }];
  while (stack.length > 0) {
    const { start, end, depth, node } = stack.pop()!;
    const counts = new Float32Array(classes);
    for (let i = start; i < end; i++) counts[y[idx[i]!]!]! += 1;
    const n = end - start;
    const pure = counts.some((c) => c === n);
    const split = depth < maxDepth && n >= 2 && !pure ? bestSplit(x, y, classes, idx, start, end, counts, features, mtry, hist, rng) : null;
    if (!split) {
      tree.leaf[node] = counts.map((c) => c / n);
      continue;
    }
    let mid = start;
    for (let i = start; i < end; i++) {
      if (x.bins[idx[i]! * x.d + split.feature]! > split.threshold) continue;
      const t = idx[i]!;
      idx[i] = idx[mid]!;
      idx[mid++] = t;
    }
    tree.feature[node] = split.feature;
    tree.threshold[node] = split.threshold;
    tree.left[node] = newNode(tree);
    tree.right[node] = newNode(tree);
    stack.push({ start, end: mid, depth: depth + 1, node: tree.left[node] }, { start: mid, end, depth: depth + 1, node: tree.right[node] });
  }
  return tree;
}

function newNode(tree: Tree): number {
  tree.leaf.push(null);
  return tree.leaf.length - 1;
}

/** The (feature, bin) split among `mtry` random features that most lowers the Gini impurity. */
function bestSplit(
  x: BinnedRows, y: ArrayLike<number>, classes: number, idx: Int32Array, start: number, end: number,
  counts: Float32Array, features: Int32Array, mtry: number, hist: Float64Array, rng: SeededRng,
): { feature: number; threshold: number } | null {
  const n = end - start;
  let parentScore = 0;
  for (const c of counts) parentScore += (c * c) / n;
  let best: { feature: number; threshold: number } | null = null;
  let bestScore = parentScore + 1e-9;
  const left = new Float64Array(classes);
  for (let k = 0; k < mtry; k++) {
    const j = k + Math.floor(rng.next() * (x.d - k));
    [features[k], features[j]] = [features[j]!, features[k]!];
    const f = features[k]!;
    hist.fill(0);
    for (let i = start; i < end; i++) hist[x.bins[idx[i]! * x.d + f]! * classes + y[idx[i]!]!]! += 1;
    left.fill(0);
    let nl = 0;
    let lsq = 0;
    let rsq = 0;
    for (const c of counts) rsq += c * c;
    for (let b = 0; b < BINS - 1; b++) {
      for (let c = 0; c < classes; c++) {
        const h = hist[b * classes + c]!;
        if (h === 0) continue;
        const l = left[c]!;
        const r = counts[c]! - l;
        lsq += (l + h) ** 2 - l * l;
        rsq += (r - h) ** 2 - r * r;
        left[c] = l + h;
        nl += h;
      }
      if (nl === 0 || nl === n) continue;
      const score = lsq / nl + rsq / (n - nl);
      if (score > bestScore) [bestScore, best] = [score, { feature: f, threshold: b }];
    }
  }
  return best;
}

/** Predicted class per row: the arg-max of the trees' averaged leaf distributions. */
export function predictForest(trees: Tree[], x: BinnedRows, classes: number): Uint8Array {
  const out = new Uint8Array(x.n);
  const votes = new Float32Array(classes);
  for (let r = 0; r < x.n; r++) {
    votes.fill(0);
    for (const t of trees) {
      let node = 0;
      while (!t.leaf[node]) node = x.bins[r * x.d + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
      t.leaf[node]!.forEach((p, c) => (votes[c] = votes[c]! + p));
    }
    out[r] = votes.indexOf(Math.max(...votes));
  }
  return out;
}

/** Trains a seeded forest on `train` and returns its accuracy on `test`. */
export function forestAccuracy(
  o: ForestOptions, classes: number,
  train: { data: Float32Array; labels: ArrayLike<number> }, test: { data: Float32Array; labels: ArrayLike<number> },
): number {
  const d = train.data.length / train.labels.length;
  const { rows, ranges } = binRows(train.data, train.labels.length, d);
  const trees = trainForest(o, rows, train.labels, classes);
  const predicted = predictForest(trees, binRows(test.data, test.labels.length, d, ranges).rows, classes);
  let correct = 0;
  predicted.forEach((p, i) => (correct += p === test.labels[i] ? 1 : 0));
  return correct / test.labels.length;
}
