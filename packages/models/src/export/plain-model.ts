import * as tf from '@tensorflow/tfjs';

/**
 * Ablate's own layers and the stock TF.js layers a plain `tf.loadLayersModel` knows in their place:
 * the same config and weights, the same inference (SeededDropout is the identity at inference, like
 * Dropout; FastBatchNormalization only speeds up training).
 */
const STOCK_CLASS: Record<string, string> = {
  FastBatchNormalization: 'BatchNormalization',
  AblateSeededDropout: 'Dropout',
};

interface LayerJson {
  class_name: string;
  config: { name: string } & Record<string, unknown>;
}

/** Stable, readable layer names (`conv2d_1`, `batch_normalization_2`, `flatten`, `dense_3`): a transfer trial names its `featureLayer` by them. */
function stableNames(layers: LayerJson[]): void {
  const seen = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const layer of layers) counts.set(layer.class_name, (counts.get(layer.class_name) ?? 0) + 1);
  for (const layer of layers) {
    const base = layer.class_name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    layer.config.name = counts.get(layer.class_name) === 1 && layer.class_name === 'Flatten' ? 'flatten' : `${base}_${n}`;
  }
}

/**
 * A copy of `model` (a Sequential) built only from stock TF.js layers with stable names, holding
 * `weights` (in `model.getWeights()` order). The caller disposes it.
 */
export async function plainCopy(model: tf.LayersModel, weights: tf.Tensor[]): Promise<tf.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as { class_name: string; config: { layers: LayerJson[] } };
  if (topology.class_name !== 'Sequential') throw new Error(`only Sequential models export (got ${topology.class_name})`);
  for (const layer of topology.config.layers) {
    const stock = STOCK_CLASS[layer.class_name];
    if (stock) layer.class_name = stock;
  }
  stableNames(topology.config.layers);
  const copy = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  copy.setWeights(weights);
  return copy;
}
