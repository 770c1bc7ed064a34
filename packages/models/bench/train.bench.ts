/**
 * `npm run bench:train`: training images/s of the course's base CIFAR-10 CNN (plain and with batch norm) per
 * available backend, the analytic FLOPs per training image, the backend's matMul GFLOP/s, and the fraction of
 * that ceiling the training step achieves. Numbers are only comparable within one run (shared machines).
 *
 * Env: BENCH_BACKENDS (default "tensorflow,wasm,cpu"), BENCH_BATCHES (timed batches on fast backends, default 8),
 * BENCH_PROFILE=1 (print the slowest kernels of one batch), CIFAR_BATCH_FILE (default the shared data_batch_1.bin).
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { initBackend } from '../src/backend/index.js';
import { readCifarBatch } from './cifar-batch.js';
import { buildCifarCnn, trainingFlopsPerImage } from './cifar-cnn.js';
import { matMulGflops } from './matmul-ceiling.js';

const CIFAR_FILE = process.env.CIFAR_BATCH_FILE ?? '/work/shared/datasets/cifar-10-batches-bin/data_batch_1.bin';
const FAST_BATCHES = Number(process.env.BENCH_BATCHES ?? 8);

/** Timed work per backend: the stock cpu backend manages a few images/s, so it gets one small timed batch. */
function planFor(backend: string): { batchSize: number; warmup: number; timed: number } {
  return backend === 'cpu' ? { batchSize: 8, warmup: 1, timed: 1 } : { batchSize: 64, warmup: 2, timed: FAST_BATCHES };
}

async function trainImagesPerSecond(batchNorm: boolean, backend: string): Promise<{ imagesPerSecond: number; flops: number }> {
  const { batchSize, warmup, timed } = planFor(backend);
  const data = readCifarBatch(CIFAR_FILE, batchSize * (warmup + timed));
  const model = buildCifarCnn(batchNorm);
  // The BN variant is fed unscaled 0..255 pixels (the course's point: BN standardizes on its own).
  const x = tf.tidy(() => (batchNorm ? tf.tensor4d(data.pixels, [data.count, 32, 32, 3]) : tf.tensor4d(data.pixels, [data.count, 32, 32, 3]).div(255)));
  const y = tf.tensor2d(data.oneHot, [data.count, 10]);
  const step = async (i: number): Promise<void> => {
    const [xb, yb] = [x.slice(i * batchSize, batchSize), y.slice(i * batchSize, batchSize)];
    await model.trainOnBatch(xb, yb);
    tf.dispose([xb, yb]);
  };
  for (let i = 0; i < warmup; i++) await step(i);
  if (process.env.BENCH_PROFILE === '1') await printProfile(() => step(0));
  const start = performance.now();
  for (let i = warmup; i < warmup + timed; i++) await step(i);
  const seconds = (performance.now() - start) / 1000;
  const flops = trainingFlopsPerImage(model);
  tf.dispose([x, y]);
  model.dispose();
  return { imagesPerSecond: (timed * batchSize) / seconds, flops };
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
  for (const batchNorm of [false, true]) {
    // The machine is shared: the ceiling is measured right before and after each variant and averaged, so the
    // ratio compares numbers taken under the same load.
    const before = matMulGflops();
    const { imagesPerSecond, flops } = await trainImagesPerSecond(batchNorm, name);
    const after = matMulGflops();
    const ceiling = (before.gflops + after.gflops) / 2;
    const achieved = (imagesPerSecond * flops) / 1e9;
    const { batchSize } = planFor(name);
    console.log(
      `  ${batchNorm ? 'base+BN' : 'base   '}  ${imagesPerSecond.toFixed(1).padStart(7)} images/s  ` +
        `${(flops / 1e6).toFixed(2)} MFLOP/image  ${achieved.toFixed(2)} GFLOP/s  ` +
        `matMul ${ceiling.toFixed(2)} GFLOP/s (${before.gflops.toFixed(1)} before, ${after.gflops.toFixed(1)} after)  ` +
        `${((100 * achieved) / ceiling).toFixed(1)} % of matMul  (batch ${batchSize})`,
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
