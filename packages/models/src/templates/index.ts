import type { z } from 'zod';
import type { TemplateName, templates } from '@ablate/contracts';
import { runCifar10Cnn } from './cifar10-cnn.template.js';
import { runMnistCnn } from './mnist-cnn.template.js';
import { runTimeseriesCausalCnn } from './timeseries-causal-cnn.template.js';
import type { TemplateRunner } from './template.types.js';

export type { TemplateContext, TemplateResult, TemplateRunner } from './template.types.js';

type ParamsOf<K extends TemplateName> = z.output<(typeof templates)[K]['params']>;

/** The implementation of every template the contracts registry lists (a missing one fails to compile). */
export const templateRunners: { [K in TemplateName]: TemplateRunner<ParamsOf<K>> } = {
  'mnist-cnn': runMnistCnn,
  'timeseries-causal-cnn': runTimeseriesCausalCnn,
  'cifar10-cnn': runCifar10Cnn,
  'random-forest': notYet('random-forest'),
  transfer: notYet('transfer'),
};

function notYet(name: string): TemplateRunner<unknown> {
  return () => Promise.reject(new Error(`template ${name} is not implemented yet`));
}
