import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { TransferParams } from '@ablate/contracts';
import type { Examples } from '../training/evaluate.js';
import { evaluate } from '../training/evaluate.js';
import { categoricalAccuracy, categoricalCrossentropy } from '../training/losses.js';
import type { SeededRng } from '../training/rng.js';
import { trainModel } from '../training/train-loop.js';
import { augmentImages } from '../training/augment.js';
import type { FeatureExtractor } from './feature-extractor.js';
import { COURSE_AUGMENTATION } from './transfer-augment.js';
import { finalMetrics } from './final-metrics.js';
import { fusedAdam } from '../kernels/index.js';
import type { TemplateContext, TemplateResult } from './template.types.js';

/**
 * After the head converged on cached features: unfreeze the top `fineTuneLayers` weighted layers
 * of the extractor and train extractor + head end to end on the images at a tenth of the learning
 * rate. Epochs continue the head's numbering. With `augment`, the training images are augmented here too.
 */
export async function fineTune(
  ctx: TemplateContext<TransferParams>, extractor: FeatureExtractor, head: tf.LayersModel,
  images: { train: Examples; validation: Examples; test: Examples }, headSteps: number, rng: SeededRng,
): Promise<TemplateResult> {
  const p = ctx.params;
  const trunk = extractor.trunk!;
  const out = trunk.outputs[0]!;
  const flat = out.rank > 2 ? (tf.layers.flatten().apply(out) as tf.SymbolicTensor) : out;
  const combined = tf.model({ inputs: trunk.inputs, outputs: head.apply(flat) as tf.SymbolicTensor });
  trunk.trainable = true;
  const weighted = trunk.layers.filter((l) => l.weights.length > 0);
  weighted.forEach((layer, i) => (layer.trainable = i >= weighted.length - p.fineTuneLayers));
  ctx.log?.(`fine-tuning ${weighted.slice(-p.fineTuneLayers).map((l) => l.name).join(', ')}`);
  const optimizer = fusedAdam(p.learningRate / 10);
  const prepared = (e: Examples): Examples => ({ x: tf.tidy(() => extractor.prepare(e.x as tf.Tensor4D)), y: e.y });
  const [train, validation, test] = [prepared(images.train), prepared(images.validation), prepared(images.test)];
  try {
    const result = await trainModel({
      model: combined, optimizer, train, validation, rng, epochs: p.fineTuneEpochs, batchSize: p.batchSize,
      // prepared images: the transforms commute with the extractor's per-channel scaling
      ...(p.augment ? { augment: augmentImages(COURSE_AUGMENTATION) } : {}),
      loss: { name: 'loss', fn: categoricalCrossentropy }, metrics: { acc: categoricalAccuracy },
      onEpoch: (step, m) => ctx.onEpoch?.(headSteps + step, m), signal: ctx.signal, log: ctx.log, objective: ctx.objective,
      ...(ctx.checkpointDir ? { checkpointDir: join(ctx.checkpointDir, 'fine-tune') } : {}),
    });
    const t = await evaluate(combined, test, { loss: categoricalCrossentropy, acc: categoricalAccuracy }, 64);
    return { step: headSteps + result.step, scoreStep: headSteps + result.bestEpoch, metrics: { ...finalMetrics(result, ['val_acc', 'val_loss']), test_acc: t['acc']!, test_loss: t['loss']! } };
  } finally {
    trunk.trainable = false;
    // Applying the head to the trunk's output added a reference to each head layer; drop it so the
    // caller's head.dispose() frees them. (combined.dispose() would also free the trunk's layers,
    // which the extractor owns.)
    for (const layer of head.layers) layer.dispose();
    optimizer.dispose();
    tf.dispose([train.x, validation.x, test.x]);
  }
}
