import { z } from 'zod';
import { templateNames, templates, type TemplateName } from './templates/index.js';
import { ApiError, ErrorCode, toValidationIssues, type ValidationIssue } from './errors.js';
import { safeText } from './safe-text.js';

/** Largest number of trials one sweep may expand to. */
export const MAX_TRIALS_PER_SWEEP = 10_000;

const Primitive = z.union([z.number(), safeText().max(4096), z.boolean()]);
export type Primitive = z.infer<typeof Primitive>;

/** One knob of a sweep: a list of values to grid over, or one fixed value. */
export const ParameterSpace = z.union([
  z.object({ /** Values the grid takes, in order. */ values: z.array(Primitive).min(1, 'give at least one value') }).strict(),
  z.object({ /** A fixed value for every trial. */ value: Primitive }).strict(),
]);
export type ParameterSpace = z.infer<typeof ParameterSpace>;

/** A sweep as a user writes it (JSON body of `POST /api/sweeps`, or a spec file for the CLI). */
export const SweepSpec = z
  .object({
    /** Display name. */
    name: safeText().trim().min(1, 'give the sweep a name').max(200),
    /** Project (slug) the sweep belongs to; created on first use. */
    project: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes')
      .default('default'),
    /** Built-in template every trial runs. */
    template: z.enum(templateNames, { message: `template must be one of: ${templateNames.join(', ')}` }),
    /** Search method. `grid` runs every combination of the listed values. */
    method: z.enum(['grid']).default('grid'),
    /** Knobs, by template param name. Params left out take the template's defaults. */
    parameters: z.record(z.string(), ParameterSpace).default({}),
    /** Metric the leaderboard ranks by, and whether lower or higher is better. */
    metric: z.object({
      /** Name of a metric the template reports, e.g. `val_acc`. */
      name: z.string().min(1),
      /** `minimize` for losses, `maximize` for accuracies. */
      goal: z.enum(['minimize', 'maximize']),
    }),
    /** How often a failed or abandoned trial is retried before it is marked failed. */
    maxRetries: z.number().int().min(0).max(10).default(2),
  })
  .strict();
export type SweepSpec = z.infer<typeof SweepSpec>;
export type SweepSpecInput = z.input<typeof SweepSpec>;

/** The cartesian product of a spec's parameter spaces, in the order the keys were given. */
export function expandGrid(parameters: Record<string, ParameterSpace>): Record<string, Primitive>[] {
  let combos: Record<string, Primitive>[] = [{}];
  for (const [key, space] of Object.entries(parameters)) {
    const values = 'values' in space ? space.values : [space.value];
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  }
  return combos;
}

/** Number of trials a grid expands to, without expanding it. */
export function gridSize(parameters: Record<string, ParameterSpace>): number {
  return Object.values(parameters).reduce((n, s) => n * ('values' in s ? s.values.length : 1), 1);
}

/** A validated spec with every trial's params checked against its template. */
export interface PlannedSweep {
  spec: SweepSpec;
  trials: Record<string, unknown>[];
}

/**
 * Validates a raw spec and expands it into trial params, each checked against the template's
 * schema. Throws an `ApiError` (validation_failed) listing every failing field path.
 */
export function planSweep(raw: unknown): PlannedSweep {
  const parsed = SweepSpec.safeParse(raw);
  if (!parsed.success) {
    throw new ApiError(ErrorCode.ValidationFailed, 'The sweep spec is invalid.', toValidationIssues(parsed.error));
  }
  const spec = parsed.data;
  const template = templates[spec.template];
  const issues: ValidationIssue[] = [];
  const known = metricNames(spec.template);
  if (!known.includes(spec.metric.name)) {
    issues.push({ path: 'metric.name', message: `template ${spec.template} reports ${known.join(', ')}` });
  }
  const size = gridSize(spec.parameters);
  if (size > MAX_TRIALS_PER_SWEEP) {
    issues.push({ path: 'parameters', message: `grid has ${size} trials; at most ${MAX_TRIALS_PER_SWEEP} allowed` });
  }
  if (issues.length > 0) throw new ApiError(ErrorCode.ValidationFailed, 'The sweep spec is invalid.', issues);

  const trials: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const combo of expandGrid(spec.parameters)) {
    const result = template.params.safeParse(combo);
    if (result.success) {
      trials.push(result.data);
      continue;
    }
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      const path = key === undefined ? 'parameters' : `parameters.${String(key)}`;
      const id = `${path}:${issue.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const value = key === undefined ? undefined : combo[String(key)];
      issues.push({ path, message: `${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}` });
    }
  }
  if (issues.length > 0) throw new ApiError(ErrorCode.ValidationFailed, 'The sweep spec is invalid.', issues);
  return { spec, trials };
}

/** Names of the metrics a template reports. */
export function metricNames(template: string): string[] {
  const t = templates[template as TemplateName] as (typeof templates)[TemplateName] | undefined;
  return t ? t.metrics.map((m) => m.name) : [];
}
