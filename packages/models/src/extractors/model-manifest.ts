import type * as tf from '@tensorflow/tfjs';
import { DatasetError } from '../datasets/dataset-error.js';

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

/** Fails naming `where` when a group's shards (their byte sizes by path) do not hold what the manifest describes. */
export function checkShardSizes(json: tf.io.ModelJSON, sizes: Map<string, number>, url: string): void {
  for (const group of expectedGroupBytes(json)) {
    if (!group) continue;
    const got = group.paths.reduce((sum, p) => sum + (sizes.get(p) ?? 0), 0);
    if (got !== group.bytes) throw new DatasetError(url, `weight shards ${group.paths.join(', ')} hold ${got} bytes, the manifest describes ${group.bytes}`, 'dataset_corrupt', true);
  }
}
