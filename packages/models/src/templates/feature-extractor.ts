import * as tf from '@tensorflow/tfjs';
import { DatasetError } from '../datasets/dataset-error.js';
import type { ResolvedExtractor } from '../extractors/resolve-extractor.js';
import { fileModelHandler } from './model-files.js';

/** ImageNet channel means (RGB) that Caffe-style models (VGG16) subtract after flipping to BGR. */
const CAFFE_MEANS_BGR = [103.939, 116.779, 123.68];

/** A frozen pretrained network turned into a feature function. */
export interface FeatureExtractor {
  /** Side the images should be loaded at: the params' `inputSize`, else the model's own (224 when it takes any). */
  inputSize: number;
  /** Resizes 0..255 RGB images to the network input (when they are not already) and scales them as it expects. */
  prepare(x: tf.Tensor4D): tf.Tensor4D;
  /** Features of prepared images, flattened to [n, dim]. */
  features(x: tf.Tensor4D): tf.Tensor2D;
  /** The layers model up to the feature layer (pooled when the extractor pools; null for graph models), for fine-tuning. */
  trunk: tf.LayersModel | null;
  dispose(): void;
}

/** Loads a resolved extractor and checks, before any training, that RGB images of its input size fit it. */
export async function loadFeatureExtractor(e: ResolvedExtractor): Promise<FeatureExtractor> {
  const source = fileModelHandler(e.path);
  if (e.format === 'graph') {
    const graph = await tf.loadGraphModel(source);
    const inputSize = fitInput(e, graph.inputs[0]?.shape);
    const run = (x: tf.Tensor4D) => (e.featureLayer ? graph.execute(x, e.featureLayer) : graph.predict(x)) as tf.Tensor;
    return { inputSize, prepare: preparer(inputSize, e), trunk: null, features: (x) => tf.tidy(() => flatten(run(x))), dispose: () => graph.dispose() };
  }
  const model = await tf.loadLayersModel(source);
  try {
    const inputSize = fitInput(e, model.inputs[0]?.shape);
    const output = e.featureLayer ? layerOutput(model, e.featureLayer, e.path) : model.outputs[0]!;
    const pooled = e.pooling === 'avg' && output.rank === 4 ? (tf.layers.globalAveragePooling2d({}).apply(output) as tf.SymbolicTensor) : output;
    const trunk = pooled === model.outputs[0] ? model : tf.model({ inputs: model.inputs, outputs: pooled });
    trunk.trainable = false;
    return {
      inputSize,
      prepare: preparer(inputSize, e),
      trunk,
      features: (x) => tf.tidy(() => flatten(trunk.predict(x) as tf.Tensor)),
      // the trunk shares the model's layers; disposing the model frees them all
      dispose: () => model.dispose(),
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** The side to load images at; a DatasetError when the model's fixed input does not take it or is not RGB. */
function fitInput(e: ResolvedExtractor, shape: readonly (number | null)[] | undefined): number {
  const [, h, w, c] = (shape ?? []).map((d) => (d === null || d < 0 ? null : d));
  if (shape && shape.length !== 4) throw new DatasetError(e.path, `takes inputs of shape [${shape.join(', ')}]; an image extractor takes [batch, height, width, 3]`, 'invalid_params');
  if (c != null && c !== 3) throw new DatasetError(e.path, `takes ${c}-channel images; Ablate feeds RGB images (3 channels)`, 'invalid_params');
  if (h != null && w != null && h !== w) throw new DatasetError(e.path, `takes ${h}×${w} images; only square inputs are supported`, 'invalid_params');
  const own = h ?? w ?? undefined;
  if (own !== undefined && e.inputSize !== undefined && e.inputSize !== own) {
    throw new DatasetError(e.path, `takes ${own}×${own} images; inputSize ${e.inputSize} does not fit it (leave inputSize out to use the extractor's own size)`, 'invalid_params');
  }
  return e.inputSize ?? own ?? 224;
}

function layerOutput(model: tf.LayersModel, name: string, path: string): tf.SymbolicTensor {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer) {
    const last = model.layers.slice(-5).map((l) => l.name).join(', ');
    throw new DatasetError(path, `has no layer "${name}" (featureLayer); its last layers are ${last}`, 'invalid_params');
  }
  return layer.output as tf.SymbolicTensor;
}

function preparer(size: number, e: ResolvedExtractor): (x: tf.Tensor4D) => tf.Tensor4D {
  return (x) => tf.tidy(() => scale(x.shape[1] === size && x.shape[2] === size ? x : tf.image.resizeBilinear(x, [size, size]), e.inputRange));
}

function flatten(t: tf.Tensor): tf.Tensor2D {
  return t.reshape([t.shape[0], -1]);
}

function scale(x: tf.Tensor4D, range: ResolvedExtractor['inputRange']): tf.Tensor4D {
  switch (range) {
    case '0-1':
      return x.div(255);
    case '-1-1':
      return x.div(127.5).sub(1);
    case '0-255':
      return x;
    case 'caffe':
      return tf.reverse(x, -1).sub(tf.tensor1d(CAFFE_MEANS_BGR));
  }
}
