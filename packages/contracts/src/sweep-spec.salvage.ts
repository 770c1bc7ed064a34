import type { ValidationIssue } from './errors.js';
import { ParameterSpace } from './search-space.schema.js';
import { MaxTrials, Repeats, SearchMethod } from './search-options.schema.js';
import { searchFieldIssues, type SearchFields } from './sweep-spec.checks.js';
import { repeatIssues, spaceBoundIssues, unknownParamIssues } from './sweep-spec.template-checks.js';
import { templateNames, type TemplateName } from './templates/index.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The cross-field and template rules, run on the parts of a spec that parse when the whole did
 * not (zod skips a refinement of the whole once a field is broken): one answer then lists every
 * problem, not just the first layer of them. The caller drops duplicates of zod's own issues.
 */
export function salvagedIssues(raw: unknown): ValidationIssue[] {
  if (!isRecord(raw)) return [];
  const rawParams = isRecord(raw.parameters) ? raw.parameters : {};
  const parameters: Record<string, ParameterSpace> = {};
  const unparsed = new Set<string>();
  for (const [key, value] of Object.entries(rawParams)) {
    const space = ParameterSpace.safeParse(value);
    if (space.success) parameters[key] = space.data;
    else unparsed.add(key);
  }
  const repeats = Repeats.safeParse(raw.repeats).data;
  const fields: SearchFields = {
    method: SearchMethod.safeParse(raw.method ?? 'grid').data,
    parameters,
    repeats,
    maxTrials: raw.maxTrials === undefined ? undefined : (MaxTrials.safeParse(raw.maxTrials).data ?? null),
    tpe: raw.tpe,
  };
  const issues: ValidationIssue[] = searchFieldIssues(fields, unparsed).map((i) => ({ path: i.path.join('.'), message: i.message }));
  if (templateNames.includes(raw.template as TemplateName)) {
    const template = raw.template as TemplateName;
    issues.push(...unknownParamIssues(template, Object.keys(rawParams)), ...repeatIssues(template, repeats), ...spaceBoundIssues(template, parameters));
  }
  return issues;
}

/** Issues without repeats of the same path and message, in first-seen order. */
export function distinctIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${i.path}\u0000${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
