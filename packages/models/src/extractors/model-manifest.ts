import type * as tf from '@tensorflow/tfjs';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** The weight shard paths of a `model.json`, refused when one could leave the model's folder or name another host. */
export function shardPaths(json: tf.io.ModelJSON, where: string): string[] {
  const paths = (json.weightsManifest ?? []).flatMap((g) => g.paths);
  for (const path of paths) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.split(/[\\/]/).includes('..')) {
      throw new Error(`${where}: weights path ${JSON.stringify(path)} must be a file beside model.json`);
    }
  }
  return paths;
}

/**
 * Bytes each manifest group's shards must add up to, from its weights' shapes and dtypes (the
 * quantized dtype where weights are quantized); null for a group with string weights, whose size the
 * manifest does not give.
 */
export function expectedGroupBytes(json: tf.io.ModelJSON): ({ paths: string[]; bytes: number } | null)[] {
  return (json.weightsManifest ?? []).map((group) => {
    let bytes = 0;
    for (const w of group.weights) {
      const dtype = w.quantization?.dtype ?? w.dtype;
      const per = BYTES[dtype];
      if (per === undefined) return null;
      bytes += per * w.shape.reduce((a, b) => a * b, 1);
    }
    return { paths: group.paths, bytes };
  });
}
