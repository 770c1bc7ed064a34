import * as tf from '@tensorflow/tfjs';
import { isBuiltInTemplate, templates, type BuiltInTemplateName } from '@ablate/contracts';
import { initBackend } from './backend/index.js';
import { confinePathParams } from './datasets/confine-params.js';
import { resolveDataDir } from './datasets/data-dir.js';
import { resolveDataRoots } from './datasets/data-roots.js';
import type { RunTrialOptions, RunTrialResult } from './run-trial.types.js';
import { templateRunners, type TemplateRunner } from './templates/index.js';
import { TrialError } from './trial-error.js';

/**
 * Runs one trial: validates the params with the template's schema, confines its path params to the
 * data roots, picks the backend, trains and evaluates. Per-epoch metrics go to `onEpoch`; the
 * promise resolves with the final metrics. What it throws maps to a `TrialErrorInfo` with
 * `toTrialError` (invalid params, missing or corrupt data, a mismatched checkpoint, ...).
 */
export async function runTrial(options: RunTrialOptions): Promise<RunTrialResult> {
  const name = options.template;
  if (!isBuiltInTemplate(name)) {
    const known = Object.keys(templateRunners).join(', ');
    const why = name === 'command' ? 'command trials run in the worker\'s command launcher, not in the models package' : `unknown template "${name}"`;
    throw new TrialError('invalid_params', `${why}; runTrial trains ${known}`);
  }
  const parsed = templates[name].params.safeParse(options.params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`);
    throw new TrialError('invalid_params', `invalid params for template ${name}: ${issues.join('; ')}`);
  }
  const dataDir = resolveDataDir(options.dataDir);
  const params = await confinePathParams(parsed.data, resolveDataRoots(options.dataRoots, dataDir));
  await ensureBackend();
  const runner = templateRunners[name] as TemplateRunner<unknown>;
  const { template: _template, params: _params, onEpoch, ...rest } = options;
  // Training re-reports every checkpointed epoch on a resume; the caller already holds those up to
  // resumeAfterStep, so only the rest (and every new epoch) reaches it.
  const after = options.resumeAfterStep ?? 0;
  const reportAfter = onEpoch && ((step: number, metrics: Record<string, number>) => (step > after ? onEpoch(step, metrics) : undefined));
  const { objective: _objective, ...context } = rest;
  const objective = epochObjective(name, options.objective);
  const result = await runner({ ...context, ...(reportAfter ? { onEpoch: reportAfter } : {}), ...(objective ? { objective } : {}), params, dataDir });
  return { ...result, scoreStep: result.scoreStep ?? result.step, backend: tf.getBackend() };
}

/** The sweep's metric when `template` reports it after every epoch (so training can keep its best weights), else undefined. */
function epochObjective(template: BuiltInTemplateName, objective: RunTrialOptions['objective']): RunTrialOptions['objective'] {
  if (!objective) return undefined;
  return templates[template].metrics.some((m) => m.name === objective.name && m.when === 'epoch') ? objective : undefined;
}

/** Lets the backend module pick the backend (tfjs-node-gpu → tfjs-node → wasm → cpu, `ABLATE_TF_BACKEND`). */
async function ensureBackend(): Promise<void> {
  await initBackend();
  await tf.ready();
}
