import * as tf from '@tensorflow/tfjs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileModelHandler } from '../templates/model-files.js';
import { plainCopy } from './plain-model.js';

/** What `ablate-model.json` (next to `model.json`) says about an exported model, for whoever reuses it. */
export interface ModelExportInfo {
  /** Template that trained it. */
  template: string;
  /** Epoch whose weights these are (the best by the trial's objective when it kept one). */
  epoch: number;
  /** Input shape without the batch axis, e.g. [32, 32, 3]. */
  inputShape: number[];
  /** How pixels must be scaled before the model sees them (a transfer trial's `inputRange`), or null when it used per-channel z-scores. */
  inputRange: '0-1' | '0-255' | null;
  classes: number;
  /** Layer names a transfer trial can take features from (`featureLayer`), the flattened convolutions first. */
  featureLayers: string[];
}

/**
 * Writes `model` with `weights` as a TF.js layers model that a plain `tf.loadLayersModel` reads
 * (`model.json` + `weights.bin`, stock layers only) and its {@link ModelExportInfo} as
 * `ablate-model.json`, into `dir`: written beside it first and renamed into place, so a reader
 * (the checkpoint upload) never sees half of it.
 */
export async function writeModelExport(dir: string, model: tf.LayersModel, weights: tf.Tensor[], info: Omit<ModelExportInfo, 'inputShape' | 'featureLayers'>): Promise<ModelExportInfo> {
  const copy = await plainCopy(model, weights);
  const staging = `${dir}.tmp`;
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await copy.save(fileModelHandler(join(staging, 'model.json')));
    const names = copy.layers.map((l) => l.name);
    const full: ModelExportInfo = {
      ...info,
      inputShape: (copy.inputs[0]?.shape ?? []).slice(1).map(Number),
      featureLayers: [...names.filter((n) => n === 'flatten'), ...names.filter((n) => n.startsWith('dense_')).slice(0, -1).reverse()],
    };
    await writeFile(join(staging, 'ablate-model.json'), `${JSON.stringify(full, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return full;
  } finally {
    copy.dispose();
    await rm(staging, { recursive: true, force: true });
  }
}
