import { templates, type TemplateParam } from '@ablate/contracts';
import type { TemplateInfo } from './sweep-form';

/** mnist-cnn as GET /api/templates describes it (test fixture; the scheduler builds it from the schema). */
const mnistParams: TemplateParam[] = [
  { name: 'dropout', type: 'number', default: 0, min: 0, max: 0.9, required: false, description: 'Dropout rate before the dense layers, 0 disables dropout.' },
  { name: 'batchNorm', type: 'boolean', default: false, required: false, description: 'Batch normalization after each convolution.' },
  { name: 'batchNormMomentum', type: 'number', min: 0, max: 0.9999, required: false, description: 'Batch norm momentum.' },
  { name: 'epochs', type: 'integer', default: 3, min: 1, max: 100, required: false, description: 'Training epochs.' },
  { name: 'batchSize', type: 'integer', default: 64, min: 1, max: 4096, required: false, description: 'Mini-batch size.' },
  { name: 'learningRate', type: 'number', default: 0.001, min: 0, minExclusive: true, max: 1, required: false, description: 'Adam learning rate.' },
  { name: 'trainSize', type: 'integer', default: 2000, min: 10, max: 8000, required: false, description: 'Training images.' },
  { name: 'validationSize', type: 'integer', default: 500, min: 10, max: 2000, required: false, description: 'Validation images.' },
  { name: 'seed', type: 'integer', default: 1, min: 0, required: false, description: 'Seed.' },
];

export const mnist: TemplateInfo = {
  name: 'mnist-cnn',
  description: templates['mnist-cnn'].description,
  defaults: templates['mnist-cnn'].params.parse({}),
  metrics: templates['mnist-cnn'].metrics,
  params: mnistParams,
  openParams: false,
};

/** A param by name, for tests. */
export function param(name: string): TemplateParam {
  const found = mnistParams.find((p) => p.name === name);
  if (!found) throw new Error(`no fixture param ${name}`);
  return found;
}
