import type { Condition, ParameterSpace, Primitive, SpaceKind } from './search-space.schema.js';

/** Which of the six kinds a (validated) space is. */
export function spaceKind(space: ParameterSpace): SpaceKind {
  if ('values' in space) return 'values';
  if ('value' in space) return 'value';
  if ('uniform' in space) return 'uniform';
  if ('loguniform' in space) return 'loguniform';
  if ('int' in space) return 'int';
  return 'categorical';
}

/** True for spaces a grid cannot enumerate (real-valued ranges). */
export function isContinuous(space: ParameterSpace): boolean {
  return 'uniform' in space || 'loguniform' in space;
}

/** Number of values a space takes (`Infinity` for real ranges), without listing them. */
export function spaceSize(space: ParameterSpace): number {
  if ('values' in space) return space.values.length;
  if ('value' in space) return 1;
  if ('int' in space) return Math.floor((space.int.max - space.int.min) / (space.int.step ?? 1)) + 1;
  if ('categorical' in space) return space.categorical.values.length;
  return Infinity;
}

/**
 * The values of a discrete space in order (an int range listed from min by step); `undefined` for
 * real ranges. Call `spaceSize` first for int ranges: this lists every value.
 */
export function discreteValues(space: ParameterSpace): Primitive[] | undefined {
  if ('values' in space) return space.values;
  if ('value' in space) return [space.value];
  if ('categorical' in space) return space.categorical.values;
  if ('int' in space) {
    const step = space.int.step ?? 1;
    return Array.from({ length: spaceSize(space) }, (_, i) => space.int.min + i * step);
  }
  return undefined;
}

/** Whether a space can produce `value` (used to refuse a condition on a value that never comes up). */
export function spaceTakes(space: ParameterSpace, value: Primitive): boolean {
  if ('int' in space) {
    const { min, max, step = 1 } = space.int;
    return typeof value === 'number' && value >= min && value <= max && Number.isInteger((value - min) / step);
  }
  if ('uniform' in space) return typeof value === 'number' && value >= space.uniform.min && value <= space.uniform.max;
  if ('loguniform' in space) return typeof value === 'number' && value >= space.loguniform.min && value <= space.loguniform.max;
  return (discreteValues(space) ?? []).includes(value);
}

/** The accepted values of one condition entry, as a list. */
export function conditionValues(entry: Condition[string]): Primitive[] {
  return Array.isArray(entry) ? entry : [entry];
}

/**
 * Whether a param with this condition exists in a trial whose params (so far) are `params`. A
 * condition on a param that is itself absent does not hold.
 */
export function conditionHolds(when: Condition | undefined, params: Readonly<Record<string, unknown>>): boolean {
  if (!when) return true;
  for (const [key, entry] of Object.entries(when)) {
    if (!Object.hasOwn(params, key)) return false;
    if (!conditionValues(entry).includes(params[key] as Primitive)) return false;
  }
  return true;
}

/**
 * Param names in an order where every param comes after the params its condition names (stable:
 * the spec's own order when no condition points forward). Returns `undefined` if conditions form
 * a cycle; `checkSpaces` reports that.
 */
export function conditionOrder(parameters: Readonly<Record<string, ParameterSpace>>): string[] | undefined {
  const order: string[] = [];
  const placed = new Set<string>();
  const keys = Object.keys(parameters);
  while (order.length < keys.length) {
    const next = keys.find((k) => !placed.has(k) && Object.keys(parameters[k]?.when ?? {}).every((p) => placed.has(p) || !(p in parameters)));
    if (next === undefined) return undefined;
    order.push(next);
    placed.add(next);
  }
  return order;
}

/**
 * The swept params that exist in a trial, judged from its full params (template defaults filled
 * in, so a default alone does not make a conditional param exist): a param exists when its
 * condition holds and every param the condition names exists too.
 */
export function presentParams(
  parameters: Readonly<Record<string, ParameterSpace>>,
  params: Readonly<Record<string, unknown>>,
  /** `conditionOrder(parameters)`, when the caller asks for many trials of one spec. */
  order: readonly string[] = conditionOrder(parameters) ?? Object.keys(parameters),
): Set<string> {
  const present = new Set<string>();
  for (const key of order) {
    const when = parameters[key]?.when;
    if (Object.keys(when ?? {}).every((p) => present.has(p)) && conditionHolds(when, params)) present.add(key);
  }
  return present;
}
