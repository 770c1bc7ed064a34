/**
 * `npm run bench:train`: training images/s of the course's base CIFAR-10 CNN (plain, with tfjs-layers' batch
 * norm, and with Ablate's FastBatchNormalization) per
 * available backend, the analytic FLOPs per training image, the backend's matMul GFLOP/s, and the fraction of
 * that ceiling the training step achieves. Numbers are only comparable within one run (shared machines).
 *
 * The machine is shared, so after every timed batch the bench probes matMul (512³, best of 3) and reports the
 * median over batches of achieved/probed GFLOP/s: both sides of each ratio are measured under the same load.
 *
 * Env: BENCH_BACKENDS (default "tensorflow,wasm,cpu"), BENCH_BATCHES (timed batches on fast backends, default 8),
 * BENCH_PROFILE=1 (print the slowest kernels of one batch), CIFAR_BATCH_FILE (default the shared data_batch_1.bin).
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../src/backend/index.js';
import { SHARED_DATASETS } from '../src/testing/shared-datasets.js';
import { readCifarBatch } from './cifar-batch.js';
import { buildCifarCnn, trainingFlopsPerImage, type CnnVariant } from './cifar-cnn.js';
import { matMulGflops } from './matmul-ceiling.js';

const CIFAR_FILE = process.env.CIFAR_BATCH_FILE ?? join(SHARED_DATASETS, 'cifar-10-batches-bin/data_batch_1.bin');
const FAST_BATCHES = Number(process.env.BENCH_BATCHES ?? 8);

/**
 * Stock TF.js layers and optimizer first (on Ablate's kernels), then what the `cifar10-cnn` template trains:
 * its own model builder, FastBatchNormalization and FusedAdam.
 */
const VARIANTS: CnnVariant[] = [
  { label: 'base', source: 'stock', batchNorm: false },
  { label: 'base+BN', source: 'stock', batchNorm: true },
  { label: 'cifar10-cnn template', source: 'template', batchNorm: false },
  { label: 'cifar10-cnn template+BN', source: 'template', batchNorm: true },
];

/** Timed work per backend: the stock cpu backend manages a few images/s, so it gets one small timed batch. */
function planFor(backend: string): { batchSize: number; warmup: number; timed: number } {
  return backend === 'cpu' ? { batchSize: 4, warmup: 1, timed: 1 } : { batchSize: 64, warmup: 2, timed: FAST_BATCHES };
}

interface VariantResult {
  /** Median over timed batches, and the best batch (least disturbed by other jobs on a shared machine). */
  imagesPerSecond: { median: number; best: number };
  /** matMul GFLOP/s probed right after each batch, median. */
  matMulGflops: number;
  /** Median over batches of (achieved GFLOP/s of the batch) / (matMul GFLOP/s probed next to it). */
  ratio: number;
  flops: number;
}

async function trainVariant(variant: CnnVariant, backend: string): Promise<VariantResult> {
  const { batchSize, warmup, timed } = planFor(backend);
  const data = readCifarBatch(CIFAR_FILE, batchSize * (warmup + timed));
  const model = buildCifarCnn(variant);
  const flops = trainingFlopsPerImage(model);
  // The BN variant is fed unscaled 0..255 pixels (the course's point: BN standardizes on its own).
  const x = tf.tidy(() => (variant.batchNorm ? tf.tensor4d(data.pixels, [data.count, 32, 32, 3]) : tf.tensor4d(data.pixels, [data.count, 32, 32, 3]).div(255)));
  const y = tf.tensor2d(data.oneHot, [data.count, 10]);
  const step = async (i: number): Promise<number> => {
    const [xb, yb] = [x.slice(i * batchSize, batchSize), y.slice(i * batchSize, batchSize)];
    const start = performance.now();
    await model.trainOnBatch(xb, yb);
    const seconds = (performance.now() - start) / 1000;
    tf.dispose([xb, yb]);
    return seconds;
  };
  for (let i = 0; i < warmup; i++) await step(i);
  if (process.env.BENCH_PROFILE === '1') await printProfile(() => step(0).then(() => undefined));
  const rates: number[] = [];
  const probes: number[] = [];
  const ratios: number[] = [];
  for (let i = warmup; i < warmup + timed; i++) {
    const rate = batchSize / (await step(i));
    const probe = matMulGflops();
    rates.push(rate);
    probes.push(probe);
    ratios.push((rate * flops) / 1e9 / probe);
  }
  tf.dispose([x, y]);
  model.dispose();
  return { imagesPerSecond: { median: median(rates), best: Math.max(...rates) }, matMulGflops: median(probes), ratio: median(ratios), flops };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function printProfile(run: () => Promise<void>): Promise<void> {
  const info = await tf.profile(run);
  const byKernel = new Map<string, number>();
  for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`    profile (one batch): ${top.map(([n, ms]) => `${n} ${ms.toFixed(1)}ms`).join(', ')}`);
}

async function benchBackend(backend: string): Promise<void> {
  let name: string;
  try {
    name = await initBackend(backend);
  } catch (error) {
    console.log(`${backend}: unavailable (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    return;
  }
  console.log(`${name}:`);
  // The stock cpu backend is too slow to time more than the two stock variants in a bounded run.
  const variants = name === 'cpu' ? VARIANTS.slice(0, 2) : VARIANTS;
  for (const variant of variants) {
    const r = await trainVariant(variant, name);
    const achieved = (r.imagesPerSecond.median * r.flops) / 1e9;
    console.log(
      `  ${variant.label.padEnd(24)} ${r.imagesPerSecond.median.toFixed(1).padStart(6)} images/s (best batch ` +
        `${r.imagesPerSecond.best.toFixed(1)})  ${(r.flops / 1e6).toFixed(2)} MFLOP/image  ${achieved.toFixed(2)} GFLOP/s  ` +
        `matMul ${r.matMulGflops.toFixed(2)} GFLOP/s  ratio ${(100 * r.ratio).toFixed(1)} %  (batch ${planFor(name).batchSize})`,
    );
  }
}

async function main(): Promise<void> {
  console.log(
    `bench:train  node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0]?.toFixed(1) ?? '?'}, ` +
      `tfjs ${tf.version.tfjs}, single thread`,
  );
  for (const backend of (process.env.BENCH_BACKENDS ?? 'tensorflow,wasm,cpu').split(',')) await benchBackend(backend.trim());
}

await main();
