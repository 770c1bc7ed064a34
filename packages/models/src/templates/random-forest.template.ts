import type { RandomForestParams } from '@ablate/contracts';
import { loadImageSplits } from '../datasets/image-splits.js';
import { abortError } from '../training/train-loop.js';
import { forestAccuracy } from './random-forest.js';
import type { TemplateRunner } from './template.types.js';

/**
 * The course's baseline: a random forest on raw pixels. Reports `test_acc` once (step 1); the
 * forest trains in one synchronous call, so an abort takes effect before or after it.
 */
export const runRandomForest: TemplateRunner<RandomForestParams> = async (ctx) => {
  const p = ctx.params;
  const data = await loadImageSplits({ ...p, validationSize: 0, dataDir: ctx.dataDir, log: ctx.log, signal: ctx.signal });
  if (ctx.signal?.aborted) throw abortError();
  ctx.log?.(`random forest: ${p.trees} trees on ${data.train.count} images of ${data.train.pixels.length / data.train.count} pixels`);
  const testAcc = forestAccuracy(p, data.classes, { data: data.train.pixels, labels: data.train.labels }, { data: data.test.pixels, labels: data.test.labels });
  if (ctx.signal?.aborted) throw abortError();
  await ctx.onEpoch?.(1, { test_acc: testAcc });
  return { step: 1, metrics: { test_acc: testAcc } };
};
