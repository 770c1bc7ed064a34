import * as tf from '@tensorflow/tfjs';

/**
 * The backend's plain (untransposed) matMul throughput on one square size, best of `reps` runs: the ceiling a
 * conv net's training could reach if every FLOP ran as a large matMul. Short (tens of ms on wasm), so the bench
 * can probe it between training batches and compare numbers taken under the same machine load.
 */
export function matMulGflops(n = 512, reps = 3): number {
  return tf.tidy(() => {
    const a = tf.randomUniform([n, n]);
    const b = tf.randomUniform([n, n]);
    tf.matMul(a, b).dataSync();
    let best = Infinity;
    for (let i = 0; i < reps; i++) {
      const start = performance.now();
      tf.matMul(a, b).dataSync();
      best = Math.min(best, performance.now() - start);
    }
    return (2 * n ** 3) / (best / 1000) / 1e9;
  });
}
