import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { ParameterSpace } from './search-space.schema.js';
import { conditionOrder, conditionValues, isContinuous, spaceKind, spaceTakes } from './search-space.js';
import type { SearchMethod } from './search-options.schema.js';

/** The fields of a parsed spec the cross-field rules read. */
export interface SearchFields {
  /** Undefined when the method itself is invalid: the rules that depend on it are skipped. */
  method?: SearchMethod | undefined;
  parameters: Record<string, ParameterSpace>;
  repeats?: number | undefined;
  /** `null`: given but invalid (reported elsewhere), so neither missing nor checked. */
  maxTrials?: number | null | undefined;
  /** Only whether it is given matters here. */
  tpe?: unknown;
}

/** A broken rule at a field path. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** Adds a rule's issue; `unparsed` names params whose own space is broken (reported elsewhere). */
interface Sink {
  issues: FieldIssue[];
  unparsed: ReadonlySet<string>;
}

/** How a space's values read in a message: the list, or the range. */
function describeValues(space: ParameterSpace): string {
  if ('int' in space) return `integers ${space.int.min}..${space.int.max}${space.int.step ? ` by ${space.int.step}` : ''}`;
  if ('values' in space) return JSON.stringify(space.values).slice(1, -1);
  if ('categorical' in space) return JSON.stringify(space.categorical.values).slice(1, -1);
  if ('value' in space) return JSON.stringify(space.value);
  return 'a real range';
}

/** A condition must name another swept param with listed values, and values it takes; no cycles. */
function checkConditions(parameters: Record<string, ParameterSpace>, out: Sink): void {
  const names = [...Object.keys(parameters), ...out.unparsed].sort();
  for (const [key, space] of Object.entries(parameters)) {
    for (const [parent, entry] of Object.entries(space.when ?? {})) {
      const path = ['parameters', key, 'when', parent];
      const parentSpace = parameters[parent];
      if (out.unparsed.has(parent)) continue;
      if (parent === key) {
        out.issues.push({ path, message: `${key} cannot depend on itself` });
      } else if (parentSpace === undefined) {
        const others = names.filter((n) => n !== key);
        out.issues.push({ path, message: `${parent} is not a swept parameter (swept: ${others.join(', ') || 'none'})${didYouMean(parent, others)}` });
      } else if (isContinuous(parentSpace)) {
        out.issues.push({ path, message: `${parent} is a real range (${spaceKind(parentSpace)}); a condition needs a parameter with listed values, int or categorical` });
      } else {
        for (const value of conditionValues(entry)) {
          if (!spaceTakes(parentSpace, value)) {
            out.issues.push({ path, message: `${parent} never takes ${JSON.stringify(value)} (it takes ${describeValues(parentSpace)})` });
          }
        }
      }
    }
  }
  if (conditionOrder(parameters) === undefined) {
    out.issues.push({ path: ['parameters'], message: 'the when conditions form a cycle; a parameter cannot depend, directly or not, on itself' });
  }
}

/**
 * Rules that span several fields of a spec (all reported at once, each at its field path). Rules
 * that need the template (param names and bounds) run in `planSweep`. `unparsed`: names of params
 * left out of `spec.parameters` because their space is broken, so conditions on them are not
 * reported as unknown.
 */
export function searchFieldIssues(spec: SearchFields, unparsed: ReadonlySet<string> = new Set()): FieldIssue[] {
  const out: Sink = { issues: [], unparsed };
  checkConditions(spec.parameters, out);
  if (spec.method === 'grid') {
    for (const [key, space] of Object.entries(spec.parameters)) {
      if (isContinuous(space)) {
        out.issues.push({ path: ['parameters', key, spaceKind(space)], message: 'a grid cannot list a real range; use values, int or categorical, or set method to random or tpe' });
      }
    }
  } else if (spec.method !== undefined && spec.maxTrials === undefined) {
    out.issues.push({ path: ['maxTrials'], message: `method ${spec.method} needs maxTrials: how many trials to run in all` });
  }
  if (spec.tpe !== undefined && spec.method !== undefined && spec.method !== 'tpe') {
    out.issues.push({ path: ['tpe'], message: `tpe options only apply to method tpe (method is ${spec.method})` });
  }
  const repeats = spec.repeats ?? 1;
  if (repeats > 1 && 'seed' in spec.parameters) {
    out.issues.push({ path: ['parameters', 'seed'], message: `repeats gives each configuration the seeds 1..${repeats}; remove parameters.seed or set repeats to 1` });
  }
  if (spec.method !== undefined && spec.method !== 'grid' && typeof spec.maxTrials === 'number' && spec.maxTrials % repeats !== 0) {
    out.issues.push({ path: ['maxTrials'], message: `maxTrials (${spec.maxTrials}) must be a multiple of repeats (${repeats}) so every configuration runs all its seeds` });
  }
  return out.issues;
}

/** `searchFieldIssues` as a zod refinement of the whole spec. */
export function checkSearchFields(spec: SearchFields, ctx: z.RefinementCtx): void {
  for (const issue of searchFieldIssues(spec)) ctx.addIssue({ code: 'custom', ...issue });
}
