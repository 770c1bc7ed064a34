import type { z } from 'zod';
import { Cifar10CnnParams } from './cifar10-cnn.params.js';
import { CommandParams } from './command.params.js';
import { MnistCnnParams } from './mnist-cnn.params.js';
import { RandomForestParams } from './random-forest.params.js';
import { TimeseriesCausalCnnParams } from './timeseries-causal-cnn.params.js';
import { TransferParams } from './transfer.params.js';

export * from './shared.params.js';
export * from './mnist-cnn.params.js';
export * from './cifar10-cnn.params.js';
export * from './random-forest.params.js';
export * from './timeseries-causal-cnn.params.js';
export * from './transfer.params.js';
export * from './command.params.js';

const PROBABILITY = [0, 1] as const;
const NON_NEGATIVE = [0, Infinity] as const;

const classificationEpochMetrics = [
  { name: 'loss', goal: 'minimize', when: 'epoch', range: NON_NEGATIVE },
  { name: 'acc', goal: 'maximize', when: 'epoch', range: PROBABILITY },
  { name: 'val_loss', goal: 'minimize', when: 'epoch', range: NON_NEGATIVE },
  { name: 'val_acc', goal: 'maximize', when: 'epoch', range: PROBABILITY },
] as const satisfies TemplateDescriptor['metrics'];

/** A built-in experiment template: its params schema and the metrics it reports. */
export interface TemplateDescriptor {
  /** Template name used in sweep specs. */
  name: string;
  /** One-line description for the dashboard and CLI. */
  description: string;
  /** Validates a trial's params (defaults filled in). */
  params: z.ZodType<Record<string, unknown>, Record<string, unknown>>;
  /** Metrics reported per epoch or at the end, with the direction that is better. */
  metrics: {
    name: string;
    goal: 'minimize' | 'maximize';
    when: 'epoch' | 'final';
    /** Values the metric can take (accuracies lie in [0, 1]); a report outside it is refused as a bug. */
    range?: readonly [number, number];
  }[];
  /**
   * The trial is the user's own program (`command`): params beyond the schema's own fields are
   * the user's, and `metrics` is empty because any metric name the program reports is accepted.
   */
  userDefined?: true;
}

/** Every template a sweep may name. The models package implements each one. */
export const templates = {
  'mnist-cnn': {
    name: 'mnist-cnn',
    description: 'Small CNN on 10,000 real MNIST digits (fast; good for trying Ablate out).',
    params: MnistCnnParams,
    metrics: [...classificationEpochMetrics],
  },
  'timeseries-causal-cnn': {
    name: 'timeseries-causal-cnn',
    description: 'Forecast a series with stacked causal (optionally dilated) 1D convolutions; scores an 80-step auto-regressive forecast.',
    params: TimeseriesCausalCnnParams,
    metrics: [
      { name: 'mse', goal: 'minimize', when: 'epoch', range: NON_NEGATIVE },
      { name: 'val_mse', goal: 'minimize', when: 'epoch', range: NON_NEGATIVE },
      { name: 'forecast_mse', goal: 'minimize', when: 'final', range: NON_NEGATIVE },
    ],
  },
  'cifar10-cnn': {
    name: 'cifar10-cnn',
    description: "The course's CIFAR-10 CNN with dropout, batch norm, standardization, augmentation and early stopping knobs.",
    params: Cifar10CnnParams,
    metrics: [
      ...classificationEpochMetrics,
      { name: 'test_acc', goal: 'maximize', when: 'final', range: PROBABILITY },
      { name: 'test_loss', goal: 'minimize', when: 'final', range: NON_NEGATIVE },
    ],
  },
  'random-forest': {
    name: 'random-forest',
    description: 'Random forest on raw pixels: the simple baseline every leaderboard should rank next to the CNNs.',
    params: RandomForestParams,
    metrics: [{ name: 'test_acc', goal: 'maximize', when: 'final', range: PROBABILITY }],
  },
  transfer: {
    name: 'transfer',
    description: 'Frozen pretrained CNN features with a random forest or a dense head; optional fine-tuning and few labels.',
    params: TransferParams,
    metrics: [
      ...classificationEpochMetrics,
      { name: 'test_acc', goal: 'maximize', when: 'final', range: PROBABILITY },
      { name: 'test_loss', goal: 'minimize', when: 'final', range: NON_NEGATIVE },
    ],
  },
  command: {
    name: 'command',
    description: 'Your own program in any language (e.g. python3 train.py): params as --name=value, metrics as JSON lines on stdout (docs/command-trials.md).',
    params: CommandParams,
    metrics: [],
    userDefined: true,
  },
} satisfies Record<string, TemplateDescriptor>;

export type TemplateName = keyof typeof templates;
export const templateNames = Object.keys(templates) as [TemplateName, ...TemplateName[]];

/** Templates the models package trains; `command` runs in the worker's command launcher instead. */
export type BuiltInTemplateName = Exclude<TemplateName, 'command'>;

/** True for templates trained by the models package (every one but `command`). */
export function isBuiltInTemplate(name: string): name is BuiltInTemplateName {
  return Object.hasOwn(templates, name) && name !== 'command';
}

/** True when the template runs the user's own program, whose params and metric names are the user's. */
export function isUserDefinedTemplate(name: string): boolean {
  return (templates[name as TemplateName] as TemplateDescriptor | undefined)?.userDefined === true;
}

/**
 * Metrics of a report that lie outside the range their template declares, as `name: why` lines
 * (empty when all are plausible). Metrics a template does not declare are not checked.
 */
export function implausibleMetrics(template: string, metrics: Record<string, number>): { name: string; message: string }[] {
  const t = templates[template as TemplateName] as TemplateDescriptor | undefined;
  if (!t) return [];
  const out: { name: string; message: string }[] = [];
  for (const m of t.metrics) {
    const v = metrics[m.name];
    if (v === undefined || !m.range) continue;
    const [lo, hi] = m.range;
    if (v < lo || v > hi) out.push({ name: m.name, message: `${m.name} must lie in [${lo}, ${hi}] for template ${t.name} (got ${v})` });
  }
  return out;
}
