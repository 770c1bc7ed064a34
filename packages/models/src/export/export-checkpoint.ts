import * as tf from '@tensorflow/tfjs';
import { templates } from '@ablate/contracts';
import { buildCourseCnn, inputRangeOf, standardizationOf } from '../templates/cifar10-cnn.template.js';
import { buildMnistCnn } from '../templates/mnist-cnn.template.js';
import { loadCheckpoint, modelSignature } from '../training/checkpoint.js';
import { trialRngs } from '../training/seeds.js';
import { TrialError } from '../trial-error.js';
import { initBackend } from '../backend/index.js';
import { writeModelExport, type ModelExportInfo } from './model-export.js';

/** Templates whose checkpoints export as a TF.js layers model. */
export const EXPORTABLE_TEMPLATES: readonly string[] = ['mnist-cnn', 'cifar10-cnn'];

/** The template's network, as its trial builds it, and how its inputs are scaled. */
export function buildExportable(template: string, params: Record<string, unknown>, classes: number): { model: tf.Sequential; inputRange: ModelExportInfo['inputRange'] } {
  const rngs = trialRngs(0);
  if (template === 'mnist-cnn') {
    const p = templates['mnist-cnn'].params.parse(params);
    return { model: buildMnistCnn(p, rngs.init, rngs.train), inputRange: '0-1' };
  }
  if (template === 'cifar10-cnn') {
    const p = templates['cifar10-cnn'].params.parse(params);
    const model = buildCourseCnn({ ...p, batchNormMomentum: p.batchNormMomentum ?? 0.99 }, classes, rngs.init, rngs.train);
    return { model, inputRange: inputRangeOf(standardizationOf(p)) };
  }
  throw new TrialError('invalid_params', `only ${EXPORTABLE_TEMPLATES.join(' and ')} trials export as a TF.js model; a ${template} trial's checkpoint holds no such network`);
}

/**
 * Exports the checkpoint in `checkpointDir` (a trial of `template` with `params`) as a TF.js layers
 * model in `outDir` (see {@link writeModelExport}): the weights of the trial's best epoch when it
 * kept them, else its last.
 */
export async function exportCheckpointModel(o: { template: string; params: Record<string, unknown>; checkpointDir: string; outDir: string }): Promise<ModelExportInfo> {
  if (!EXPORTABLE_TEMPLATES.includes(o.template)) buildExportable(o.template, o.params, 0);
  await initBackend();
  await tf.ready();
  const ckpt = await loadCheckpoint(o.checkpointDir);
  if (!ckpt) throw new TrialError('checkpoint_mismatch', `no checkpoint in ${o.checkpointDir} (checkpoint.json is missing)`);
  const tensors = [...ckpt.weights, ...ckpt.optimizer.map((t) => t.tensor), ...(ckpt.bestWeights ?? [])];
  try {
    // the output layer's kernel is the last 2-D weight (getWeights lists trainable weights first, batch norm's moving statistics after)
    const classes = ckpt.weights.filter((w) => w.rank === 2).at(-1)?.shape[1] ?? 10;
    const { model, inputRange } = buildExportable(o.template, o.params, classes);
    try {
      const built = modelSignature(model);
      if (ckpt.architecture && ckpt.architecture.join() !== built.join()) {
        throw new TrialError('checkpoint_mismatch', `the checkpoint in ${o.checkpointDir} holds a different network (${ckpt.architecture.join(' → ')}) than ${o.template} builds from these params (${built.join(' → ')})`);
      }
      const best = ckpt.bestWeights !== null && ckpt.kept !== undefined;
      return await writeModelExport(o.outDir, model, best ? ckpt.bestWeights! : ckpt.weights, {
        template: o.template, epoch: best ? ckpt.kept!.epoch : ckpt.epoch, inputRange, classes,
      });
    } finally {
      model.dispose();
    }
  } finally {
    tf.dispose(tensors);
  }
}
