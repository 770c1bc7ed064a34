import type { ParameterSpace, Primitive } from './search-space.schema.js';
import { conditionHolds, conditionOrder, discreteValues, spaceSize } from './search-space.js';

/** Past this many combinations of the params that conditions name, `gridSize` stops counting. */
const COUNT_LIMIT = 1_000_000;

/**
 * The cartesian product of a spec's discrete spaces, in the order the keys were given. A
 * conditional param only multiplies the combinations where its condition holds and is absent from
 * the others (so a `batchNormPosition` that exists only with batch norm does not double the runs
 * without it). Real ranges cannot be listed; `planSweep` refuses them for a grid first.
 */
export function expandGrid(parameters: Readonly<Record<string, ParameterSpace>>): Record<string, Primitive>[] {
  let combos: Record<string, Primitive>[] = [{}];
  for (const key of conditionOrder(parameters) ?? Object.keys(parameters)) {
    const space = parameters[key]!;
    const values = discreteValues(space);
    if (values === undefined) throw new Error(`a grid cannot list the real range of ${key}; use values, int or categorical`);
    combos = combos.flatMap((combo) => (conditionHolds(space.when, combo) ? values.map((value) => ({ ...combo, [key]: value })) : [combo]));
  }
  return combos;
}

/**
 * Number of trials a grid expands to, without expanding it: only the params that conditions name
 * are combined; every other param multiplies the combinations where it exists by its size.
 * `Infinity` for a real range, or when those params alone combine past a million.
 */
export function gridSize(parameters: Readonly<Record<string, ParameterSpace>>): number {
  const order = conditionOrder(parameters) ?? Object.keys(parameters);
  const parents = new Set(Object.values(parameters).flatMap((s) => Object.keys(s.when ?? {})));
  let combos: Record<string, Primitive>[] = [{}];
  for (const key of order.filter((k) => parents.has(k))) {
    const space = parameters[key]!;
    if (combos.length * spaceSize(space) > COUNT_LIMIT) return Infinity;
    const values = discreteValues(space) ?? [];
    combos = combos.flatMap((combo) => (conditionHolds(space.when, combo) ? values.map((value) => ({ ...combo, [key]: value })) : [combo]));
  }
  let total = 0;
  for (const combo of combos) {
    let n = 1;
    for (const key of order) {
      const space = parameters[key]!;
      if (!parents.has(key) && conditionHolds(space.when, combo)) n *= spaceSize(space);
    }
    total += n;
  }
  return total;
}
