import * as tf from '@tensorflow/tfjs';

/**
 * The backend's plain (untransposed) matMul throughput, best over a few square sizes: the ceiling a conv net's
 * training could reach if every FLOP ran as a large matMul.
 */
export function matMulGflops(sizes = [256, 512], seconds = 0.4): { gflops: number; size: number } {
  let best = { gflops: 0, size: 0 };
  for (const n of sizes) {
    const a = tf.randomUniform([n, n]);
    const b = tf.randomUniform([n, n]);
    tf.matMul(a, b).dispose();
    let reps = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
      reps++;
    }
    const gflops = (2 * n ** 3 * reps) / ((performance.now() - start) / 1000) / 1e9;
    if (gflops > best.gflops) best = { gflops, size: n };
    tf.dispose([a, b]);
  }
  return best;
}
