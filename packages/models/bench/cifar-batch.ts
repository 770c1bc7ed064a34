import { openSync, readSync, closeSync } from 'node:fs';

/** One CIFAR-10 binary record: 1 label byte, then 1024 R, 1024 G, 1024 B bytes (32x32, row-major). */
const RECORD_BYTES = 3073;
const PIXELS = 1024;

export interface CifarSlice {
  /** NHWC pixel values, 0..255 (callers scale to [0, 1] where the model expects it). */
  pixels: Float32Array;
  /** One-hot labels, [count, 10]. */
  oneHot: Float32Array;
  count: number;
}

/** Reads the first `count` images of a CIFAR-10 `data_batch_*.bin` file, converted from planar CHW to NHWC. */
export function readCifarBatch(file: string, count: number): CifarSlice {
  const bytes = Buffer.alloc(RECORD_BYTES * count);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, bytes, 0, bytes.length, 0);
    if (read < bytes.length) throw new Error(`${file}: wanted ${count} images, file holds ${Math.floor(read / RECORD_BYTES)}`);
  } finally {
    closeSync(fd);
  }
  const pixels = new Float32Array(count * PIXELS * 3);
  const oneHot = new Float32Array(count * 10);
  for (let n = 0; n < count; n++) {
    const record = n * RECORD_BYTES;
    oneHot[n * 10 + (bytes[record] ?? 0)] = 1;
    for (let p = 0; p < PIXELS; p++) {
      for (let c = 0; c < 3; c++) pixels[(n * PIXELS + p) * 3 + c] = bytes[record + 1 + c * PIXELS + p] ?? 0;
    }
  }
  return { pixels, oneHot, count };
}
