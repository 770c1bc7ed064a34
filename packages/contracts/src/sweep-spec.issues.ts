import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { toValidationIssues, type ValidationIssue } from './errors.js';
import { SPACE_KINDS, spaceSchemas, type SpaceKind } from './search-space.schema.js';

const KINDS: readonly string[] = SPACE_KINDS;
const EXAMPLE = '{ "values": [0, 0.5] }, { "uniform": { "min": 0, "max": 0.5 } } or { "categorical": { "values": ["a", "b"] } }';

/**
 * Why one raw parameter space matched no kind: the issues of the kind its keys name (so
 * `{ "uniform": { "min": "a" } }` answers at `parameters.x.uniform.min`), else which key to use.
 */
function explainSpace(key: string, raw: unknown): ValidationIssue[] {
  const path = `parameters.${key}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [{ path, message: `give an object such as ${EXAMPLE}` }];
  const keys = Object.keys(raw).filter((k) => k !== 'when');
  const kinds = keys.filter((k) => KINDS.includes(k)) as SpaceKind[];
  const [kind] = kinds;
  if (kinds.length > 1) return [{ path, message: `give only one of ${kinds.join(' and ')}` }];
  if (kind !== undefined) {
    const result = spaceSchemas[kind].safeParse(raw);
    if (!result.success) return toValidationIssues(result.error, ['parameters', key]);
  }
  const strangers = keys.filter((k) => !KINDS.includes(k));
  if (strangers.length === 0) return [{ path, message: `give one of ${SPACE_KINDS.join(', ')}, e.g. ${EXAMPLE}` }];
  return strangers.map((k) => ({
    path: `${path}.${k}`,
    message: `${k} is not a kind of space (give one of ${SPACE_KINDS.join(', ')}, plus an optional when)${didYouMean(k, [...KINDS, 'when'])}`,
  }));
}

/** The raw `parameters[key]` of an unparsed spec, if there is one. */
function rawSpace(raw: unknown, key: string): unknown {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const parameters = (raw as { parameters?: unknown }).parameters;
  return typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>)[key] : undefined;
}

/** The issues of a failed `SweepSpec` parse, with parameter spaces that matched no kind explained. */
export function explainSpecIssues(error: z.ZodError, raw: unknown): ValidationIssue[] {
  return error.issues.flatMap((issue) => {
    const [root, key] = issue.path;
    if (issue.code === 'invalid_union' && root === 'parameters' && issue.path.length === 2 && typeof key === 'string') {
      return explainSpace(key, rawSpace(raw, key));
    }
    return [{ path: issue.path.map(String).join('.') || '(root)', message: issue.message }];
  });
}
