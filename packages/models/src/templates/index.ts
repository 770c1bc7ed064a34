import type { z } from 'zod';
import type { BuiltInTemplateName, templates } from '@ablate/contracts';
import { runCifar10Cnn } from './cifar10-cnn.template.js';
import { runMnistCnn } from './mnist-cnn.template.js';
import { runRandomForest } from './random-forest.template.js';
import { runTimeseriesCausalCnn } from './timeseries-causal-cnn.template.js';
import { runTransfer } from './transfer.template.js';
import type { TemplateRunner } from './template.types.js';

export type { TemplateContext, TemplateResult, TemplateRunner } from './template.types.js';

type ParamsOf<K extends BuiltInTemplateName> = z.output<(typeof templates)[K]['params']>;

/**
 * The implementation of every built-in template the contracts registry lists (a missing one fails
 * to compile). `command` is no built-in: the worker runs the user's program itself.
 */
export const templateRunners: { [K in BuiltInTemplateName]: TemplateRunner<ParamsOf<K>> } = {
  'mnist-cnn': runMnistCnn,
  'timeseries-causal-cnn': runTimeseriesCausalCnn,
  'cifar10-cnn': runCifar10Cnn,
  'random-forest': runRandomForest,
  transfer: runTransfer,
};

