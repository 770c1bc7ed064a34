import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInside } from '../datasets/data-roots.js';
import { DatasetError } from '../datasets/dataset-error.js';

/** `file:///a/model.json` or `/a/model.json` → a filesystem path; null for http(s) URLs. */
export function localModelPath(source: string): string | null {
  if (/^https?:\/\//i.test(source)) return null;
  return source.startsWith('file://') ? fileURLToPath(source) : resolve(source);
}

/**
 * Reads and writes TF.js models (`model.json` + one `weights.bin`) on disk without tfjs-node, whose
 * `file://` handler is the only one TF.js ships for Node.
 */
export function fileModelHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    async load() {
      const text = await readFile(modelJsonPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new DatasetError(modelJsonPath, err.code === 'ENOENT' ? 'model file not found' : err.message, err.code === 'ENOENT' ? 'dataset_missing' : 'dataset_corrupt');
      });
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch {
        throw new DatasetError(modelJsonPath, 'not valid JSON (a TF.js model.json was expected)');
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const path of group.paths) {
            const file = join(dirname(modelJsonPath), path);
            // model.json comes with the sweep's data: its weight paths must not reach out of its folder.
            if (!isInside(file, dirname(modelJsonPath))) throw new DatasetError(modelJsonPath, `weights path ${JSON.stringify(path)} leaves the model's folder`, 'path_not_allowed');
            const buf = await readFile(file).catch(() => {
              throw new DatasetError(file, 'weights file listed in model.json not found', 'dataset_missing');
            });
            buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
      });
    },
    async save(artifacts) {
      await mkdir(dirname(modelJsonPath), { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.concatenateArrayBuffers(
        Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData],
      );
      await writeFile(join(dirname(modelJsonPath), 'weights.bin'), Buffer.from(weights));
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(modelJsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}
