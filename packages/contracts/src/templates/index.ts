import type { z } from 'zod';
import { MnistCnnParams } from './mnist-cnn.params.js';

export * from './mnist-cnn.params.js';

/** A built-in experiment template: its params schema and the metrics it reports. */
export interface TemplateDescriptor {
  /** Template name used in sweep specs. */
  name: string;
  /** One-line description for the dashboard and CLI. */
  description: string;
  /** Validates a trial's params (defaults filled in). */
  params: z.ZodType<Record<string, unknown>, Record<string, unknown>>;
  /** Metrics reported per epoch or at the end, with the direction that is better. */
  metrics: { name: string; goal: 'minimize' | 'maximize'; when: 'epoch' | 'final' }[];
}

/** Every template a sweep may name. The models package implements each one. */
export const templates = {
  'mnist-cnn': {
    name: 'mnist-cnn',
    description: 'Small CNN on 10,000 real MNIST digits (fast; good for trying Ablate out).',
    params: MnistCnnParams,
    metrics: [
      { name: 'loss', goal: 'minimize', when: 'epoch' },
      { name: 'acc', goal: 'maximize', when: 'epoch' },
      { name: 'val_loss', goal: 'minimize', when: 'epoch' },
      { name: 'val_acc', goal: 'maximize', when: 'epoch' },
    ],
  },
} satisfies Record<string, TemplateDescriptor>;

export type TemplateName = keyof typeof templates;
export const templateNames = Object.keys(templates) as [TemplateName, ...TemplateName[]];
