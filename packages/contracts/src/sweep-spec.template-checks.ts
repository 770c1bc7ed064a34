import { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { ValidationIssue } from './errors.js';
import type { ParameterSpace, Primitive } from './search-space.schema.js';
import { isUserDefinedTemplate, templates, type TemplateName } from './templates/index.js';

/** Names of a template's params (the keys a spec's `parameters` may use). */
export function templateParamNames(template: TemplateName): string[] {
  const schema: unknown = templates[template].params;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** One issue per swept name the template does not have, with the closest real name. */
export function unknownParamIssues(template: TemplateName, keys: readonly string[]): ValidationIssue[] {
  // A user-defined template (command) passes every other param through to the user's program.
  if (isUserDefinedTemplate(template)) return [];
  const names = templateParamNames(template);
  return keys
    .filter((key) => !names.includes(key))
    .map((key) => ({ path: `parameters.${key}`, message: `template ${template} has no parameter ${key}${didYouMean(key, names)}` }));
}

/**
 * Values that stand for everything a sampled space can produce: its ends, every listed value, and
 * for a real range one point inside that is not a whole number (1/π of the way), so a real range
 * over an integer param such as `epochs` is caught before any trial is sampled.
 */
function probeValues(space: ParameterSpace): { value: Primitive; inside?: true }[] {
  const listed = (values: Primitive[]) => values.map((value) => ({ value }));
  if ('values' in space) return listed(space.values);
  if ('value' in space) return listed([space.value]);
  if ('categorical' in space) return listed(space.categorical.values);
  if ('int' in space) {
    const { min, max, step = 1 } = space.int;
    return listed([min, min + Math.floor((max - min) / step) * step]);
  }
  const { min, max } = 'uniform' in space ? space.uniform : space.loguniform;
  return [...listed([min, max]), { value: min + (max - min) / Math.PI, inside: true }];
}

/**
 * For random and TPE, whose trials are sampled later: checks what each space can produce against
 * the template's schema now, one param at a time (issues about other params are not this one's).
 */
export function spaceBoundIssues(template: TemplateName, parameters: Readonly<Record<string, ParameterSpace>>): ValidationIssue[] {
  const schema = templates[template].params;
  const names = templateParamNames(template);
  const issues: ValidationIssue[] = [];
  for (const [key, space] of Object.entries(parameters)) {
    if (!names.includes(key)) continue;
    const seen = new Set<string>();
    for (const probe of probeValues(space)) {
      const result = schema.safeParse({ [key]: probe.value });
      for (const issue of result.success ? [] : result.error.issues) {
        if (issue.path[0] !== key || seen.has(issue.message)) continue;
        seen.add(issue.message);
        const got = probe.inside ? `a real range also gives values such as ${Number(probe.value).toPrecision(4)}; use int for a whole-number parameter` : `got ${JSON.stringify(probe.value)}`;
        issues.push({ path: `parameters.${key}`, message: `${issue.message} (${got})` });
      }
    }
  }
  return issues;
}

/** Template rules on the search fields: repeats vary the template's `seed`, which it must have. */
export function repeatIssues(template: TemplateName, repeats: number | undefined): ValidationIssue[] {
  if ((repeats ?? 1) <= 1 || templateParamNames(template).includes('seed')) return [];
  return [{ path: 'repeats', message: `template ${template} has no seed parameter, so its repeats would all be the same run` }];
}

/** Metric names as reports carry them (the same rule as `TrialReport`'s metrics). */
const METRIC_NAME = /^[A-Za-z0-9_./-]{1,100}$/;

/**
 * The ranking metric must be one the template reports; a user-defined template (command) reports
 * whatever its program prints, so any name a report can carry is accepted there.
 */
export function metricNameIssues(template: TemplateName, name: string): ValidationIssue[] {
  if (isUserDefinedTemplate(template)) {
    if (METRIC_NAME.test(name)) return [];
    return [{ path: 'metric.name', message: 'a metric name is 1-100 letters, digits, "_", ".", "/" or "-", as your program reports it' }];
  }
  const known = templates[template].metrics.map((m) => m.name);
  return known.includes(name) ? [] : [{ path: 'metric.name', message: `template ${template} reports ${known.join(', ')}` }];
}

/**
 * For random and TPE, whose trials are sampled later: params the template needs (no default) that
 * the spec does not give, e.g. a command trial's `command`. A grid reports them on its trials.
 */
export function missingParamIssues(template: TemplateName, parameters: Readonly<Record<string, ParameterSpace>>): ValidationIssue[] {
  const schema: unknown = templates[template].params;
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([key, field]) => !(key in parameters) && !field.safeParse(undefined).success)
    .map(([key]) => ({ path: `parameters.${key}`, message: `template ${template} needs ${key}; give it in parameters (e.g. { "value": ... })` }));
}
