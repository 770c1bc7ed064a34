import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransferParams } from '@ablate/contracts';
import type { ImageSet } from '../datasets/image-set.js';
import { fileModelHandler, localModelPath } from './model-files.js';

/** ImageNet channel means (RGB) that Caffe-style models (VGG16) subtract after flipping to BGR. */
const CAFFE_MEANS_BGR = [103.939, 116.779, 123.68];

/** A frozen pretrained network turned into a feature function. */
export interface FeatureExtractor {
  /** Resizes 0..255 RGB images to the network input and scales them as it expects. */
  prepare(x: tf.Tensor4D): tf.Tensor4D;
  /** Features of prepared images, flattened to [n, dim]. */
  features(x: tf.Tensor4D): tf.Tensor2D;
  /** The layers model up to the feature layer (null for graph models), for fine-tuning. */
  trunk: tf.LayersModel | null;
  dispose(): void;
}

type ExtractorParams = Pick<TransferParams, 'extractor' | 'extractorFormat' | 'featureLayer' | 'inputSize' | 'inputRange'>;

export async function loadFeatureExtractor(p: ExtractorParams): Promise<FeatureExtractor> {
  const local = localModelPath(p.extractor);
  const source = local ? fileModelHandler(local) : p.extractor;
  const prepare = (x: tf.Tensor4D) => tf.tidy(() => scale(p.inputSize === x.shape[1] ? x : tf.image.resizeBilinear(x, [p.inputSize, p.inputSize]), p.inputRange));
  if (p.extractorFormat === 'graph') {
    const graph = await tf.loadGraphModel(source);
    const run = (x: tf.Tensor4D) => (p.featureLayer ? graph.execute(x, p.featureLayer) : graph.predict(x)) as tf.Tensor;
    return { prepare, trunk: null, features: (x) => tf.tidy(() => flatten(run(x))), dispose: () => graph.dispose() };
  }
  const model = await tf.loadLayersModel(source);
  const trunk = p.featureLayer
    ? tf.model({ inputs: model.inputs, outputs: model.getLayer(p.featureLayer).output })
    : model;
  trunk.trainable = false;
  return {
    prepare,
    trunk,
    features: (x) => tf.tidy(() => flatten(trunk.predict(x) as tf.Tensor)),
    // the trunk shares the model's layers; disposing the model frees them all
    dispose: () => model.dispose(),
  };
}

function flatten(t: tf.Tensor): tf.Tensor2D {
  return t.reshape([t.shape[0], -1]);
}

function scale(x: tf.Tensor4D, range: ExtractorParams['inputRange']): tf.Tensor4D {
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

/**
 * Features of every image, computed in batches, cached on disk under
 * `<dataDir>/features/<hash of key>.bin` so a sweep extracts them once per data set and extractor.
 */
export async function cachedFeatures(
  extractor: FeatureExtractor, images: ImageSet, key: string, dataDir: string, log?: (line: string) => void,
): Promise<{ data: Float32Array; dim: number }> {
  const file = join(dataDir, 'features', `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.bin`);
  const cached = await readFile(file).catch(() => null);
  if (cached && cached.byteLength > 4) {
    const dim = cached.readUInt32LE(0);
    const data = new Float32Array(cached.buffer.slice(cached.byteOffset + 4, cached.byteOffset + cached.byteLength));
    if (dim > 0 && data.length === dim * images.count) {
      log?.(`features from cache ${file}`);
      return { data, dim };
    }
  }
  const per = images.height * images.width * images.channels;
  const chunks: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < images.count; start += 64) {
    const n = Math.min(64, images.count - start);
    const f = tf.tidy(() => {
      const x = tf.tensor4d(images.pixels.subarray(start * per, (start + n) * per), [n, images.height, images.width, images.channels]);
      return extractor.features(extractor.prepare(x));
    });
    dim = f.shape[1];
    chunks.push((await f.data()) as Float32Array);
    f.dispose();
  }
  const data = new Float32Array(dim * images.count);
  chunks.forEach((c, i) => data.set(c, i * 64 * dim));
  await mkdir(join(dataDir, 'features'), { recursive: true });
  const header = Buffer.alloc(4);
  header.writeUInt32LE(dim, 0);
  await writeFile(`${file}.tmp`, Buffer.concat([header, Buffer.from(data.buffer)]));
  await rename(`${file}.tmp`, file);
  log?.(`extracted ${images.count} × ${dim} features into ${file}`);
  return { data, dim };
}
