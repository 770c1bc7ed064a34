import { z } from 'zod';
import { templateNames, templates, type TemplateName } from './templates/index.js';
import { ApiError, ErrorCode, type ValidationIssue } from './errors.js';
import { expandGrid, gridSize } from './grid-expansion.js';
import { expandRepeats } from './repeats.js';
import { safeText } from './safe-text.js';
import { ParameterSpace } from './search-space.schema.js';
import { MAX_TRIALS_PER_SWEEP, MaxTrials, PrunerSpec, Repeats, SearchMethod, TpeOptions } from './search-options.schema.js';
import { checkSearchFields } from './sweep-spec.checks.js';
import { explainSpecIssues } from './sweep-spec.issues.js';
import { distinctIssues, salvagedIssues } from './sweep-spec.salvage.js';
import { metricNameIssues, missingParamIssues, repeatIssues, spaceBoundIssues, unknownParamIssues } from './sweep-spec.template-checks.js';
import { TrialResources } from './worker-resources.schema.js';

/**
 * A sweep as a user writes it (JSON body of `POST /api/sweeps`, or a spec file for the CLI). The
 * search fields are optional without defaults, so a stored grid spec reads back exactly as written.
 */
export const SweepSpec = z
  .object({
    /** Display name. */
    name: safeText().trim().min(1, 'give the sweep a name').max(200),
    /** Project (slug) the sweep belongs to; created on first use. */
    project: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes')
      .default('default'),
    /** Template every trial runs: a built-in one, or `command` for your own program (docs/command-trials.md). */
    template: z.enum(templateNames, { message: `template must be one of: ${templateNames.join(', ')}` }),
    /** Search method: `grid` runs every combination, `random` samples, `tpe` samples near the best results. */
    method: SearchMethod.default('grid'),
    /** Seed of the random and TPE samplers (not of the trials): the same spec proposes the same trials. Default 0. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    /** Knobs, by template param name. Params left out take the template's defaults. */
    parameters: z.record(z.string(), ParameterSpace).default({}),
    /** Runs per configuration, with template seeds 1..N; the leaderboard ranks a configuration by its mean. Default 1. */
    repeats: Repeats.optional(),
    /** Trials to run in all, repeats included (required for random and TPE; caps a grid). */
    maxTrials: MaxTrials.optional(),
    /** Most trials of this sweep running at once. Default: as many as workers take. */
    maxConcurrent: z.number().int().min(1).max(MAX_TRIALS_PER_SWEEP).optional(),
    /** What each trial needs of its worker, e.g. `{ gpus: 2 }`. Default: one slot, no GPU required. */
    resources: TrialResources.optional(),
    /** Failed trials the sweep tolerates; one more stops it with that reason. Default: no limit. */
    maxFailures: z.number().int().min(0).max(MAX_TRIALS_PER_SWEEP).optional(),
    /** Early stopping across trials (docs/search.md). Default: none. */
    pruner: PrunerSpec.optional(),
    /** TPE knobs, only with method `tpe`; each has a documented default. */
    tpe: TpeOptions.optional(),
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
  .strict()
  .superRefine(checkSearchFields);
export type SweepSpec = z.infer<typeof SweepSpec>;
export type SweepSpecInput = z.input<typeof SweepSpec>;

/** A validated spec with every trial's params checked against its template. */
export interface PlannedSweep {
  spec: SweepSpec;
  /**
   * A grid's trials in run order (repeats included, capped at `maxTrials`). Empty for `random` and
   * `tpe`: their search strategy proposes trials as the sweep runs.
   */
  trials: Record<string, unknown>[];
}

function invalid(issues: ValidationIssue[]): ApiError {
  return new ApiError(ErrorCode.ValidationFailed, 'The sweep spec is invalid.', issues);
}

/**
 * Validates a raw spec and, for a grid, expands it into trial params, each checked against the
 * template's schema. Throws an `ApiError` (validation_failed) listing every failing field path.
 */
export function planSweep(raw: unknown): PlannedSweep {
  const parsed = SweepSpec.safeParse(raw);
  if (!parsed.success) throw invalid(distinctIssues([...explainSpecIssues(parsed.error, raw), ...salvagedIssues(raw)]));
  const spec = parsed.data;
  const issues: ValidationIssue[] = [];
  issues.push(...metricNameIssues(spec.template, spec.metric.name));
  issues.push(...unknownParamIssues(spec.template, Object.keys(spec.parameters)), ...repeatIssues(spec.template, spec.repeats));
  if (spec.method !== 'grid') {
    issues.push(...spaceBoundIssues(spec.template, spec.parameters), ...missingParamIssues(spec.template, spec.parameters));
    if (issues.length > 0) throw invalid(issues);
    return { spec, trials: [] };
  }
  const size = gridSize(spec.parameters) * (spec.repeats ?? 1);
  if (size > MAX_TRIALS_PER_SWEEP) {
    const count = Number.isFinite(size) ? String(size) : 'more than 1000000';
    issues.push({ path: 'parameters', message: `grid has ${count} trials; at most ${MAX_TRIALS_PER_SWEEP} allowed` });
    throw invalid(issues);
  }
  const trials = gridTrials(spec, issues);
  if (issues.length > 0) throw invalid(issues);
  return { spec, trials };
}

/**
 * A grid's trials: combinations × repeats, capped at `maxTrials`, each parsed by the template
 * (defaults filled in). What the template refuses is added to `issues`, once per path and message.
 */
function gridTrials(spec: SweepSpec, issues: ValidationIssue[]): Record<string, unknown>[] {
  const template = templates[spec.template];
  const combos = expandRepeats(expandGrid(spec.parameters), spec.repeats ?? 1, 'seed-major').slice(0, spec.maxTrials);
  const trials: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const combo of combos) {
    const result = template.params.safeParse(combo);
    if (result.success) {
      trials.push(result.data);
      continue;
    }
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') continue; // unknownParamIssues named them, with a suggestion
      const key = issue.path[0];
      const path = key === undefined ? 'parameters' : `parameters.${String(key)}`;
      const id = `${path}:${issue.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const value = key === undefined ? undefined : (combo as Record<string, unknown>)[String(key)];
      issues.push({ path, message: `${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}` });
    }
  }
  return trials;
}

/** Names of the metrics a template reports. */
export function metricNames(template: string): string[] {
  const t = templates[template as TemplateName] as (typeof templates)[TemplateName] | undefined;
  return t ? t.metrics.map((m) => m.name) : [];
}
