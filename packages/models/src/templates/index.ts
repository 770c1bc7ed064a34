import type { z } from 'zod';
import type { TemplateName, templates } from '@ablate/contracts';
import { runCifar10Cnn } from './cifar10-cnn.template.js';
import { runMnistCnn } from './mnist-cnn.template.js';
import { runRandomForest } from './random-forest.template.js';
import { runTimeseriesCausalCnn } from './timeseries-causal-cnn.template.js';
import { runTransfer } from './transfer.template.js';
import type { TemplateRunner } from './template.types.js';

export type { TemplateContext, TemplateResult, TemplateRunner } from './template.types.js';

type ParamsOf<K extends TemplateName> = z.output<(typeof templates)[K]['params']>;

/** The implementation of every template the contracts registry lists (a missing one fails to compile). */
export const templateRunners: { [K in TemplateName]: TemplateRunner<ParamsOf<K>> } = {
  'mnist-cnn': runMnistCnn,
  'timeseries-causal-cnn': runTimeseriesCausalCnn,
  'cifar10-cnn': runCifar10Cnn,
  'random-forest': runRandomForest,
  transfer: runTransfer,
};

