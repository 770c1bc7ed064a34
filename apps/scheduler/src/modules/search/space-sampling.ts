import { conditionHolds, conditionOrder, spaceSize, type ParameterSpace, type Primitive } from '@ablate/contracts';
import type { SeededRandom } from './seeded-random.js';
import type { Configuration } from './search.types.js';

/** Draws one value of a space from its prior: what random search does, and TPE before it has data. */
export function samplePrior(space: ParameterSpace, rng: SeededRandom): Primitive {
  if ('value' in space) return space.value;
  if ('values' in space) return space.values[Math.floor(rng.next() * space.values.length)]!;
  if ('categorical' in space) {
    const { values, weights } = space.categorical;
    return values[rng.pick(weights ?? values.map(() => 1))]!;
  }
  if ('int' in space) return space.int.min + (space.int.step ?? 1) * Math.floor(rng.next() * spaceSize(space));
  if ('uniform' in space) return space.uniform.min + rng.next() * (space.uniform.max - space.uniform.min);
  const lo = Math.log(space.loguniform.min);
  return Math.exp(lo + rng.next() * (Math.log(space.loguniform.max) - lo));
}

/** Draws a swept param's value, knowing the params already drawn for this configuration. */
export type DrawParam = (key: string, space: ParameterSpace, drawn: Readonly<Configuration>) => Primitive;

/**
 * One configuration, param by param, parents before the params whose condition names them; a
 * param whose condition does not hold is left out (the template default applies to it).
 */
export function buildConfiguration(parameters: Readonly<Record<string, ParameterSpace>>, draw: DrawParam): Configuration {
  const drawn: Configuration = {};
  for (const key of conditionOrder(parameters) ?? Object.keys(parameters)) {
    const space = parameters[key]!;
    if (conditionHolds(space.when, drawn)) drawn[key] = draw(key, space, drawn);
  }
  return drawn;
}
