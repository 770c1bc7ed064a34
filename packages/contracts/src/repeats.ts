/**
 * Repeats: `repeats: N` runs each configuration with the template seeds 1..N, and the leaderboard
 * ranks a configuration by its mean over them. Seeds start at 1 because 1 is every template's
 * default, so a configuration's first repeat is the run a sweep without repeats would make.
 */

/** The template seeds a configuration's repeats get. */
export function repeatSeeds(repeats: number): number[] {
  return Array.from({ length: repeats }, (_, i) => i + 1);
}

/**
 * Trials for configurations run `repeats` times each; with `repeats` of 1 the configurations come
 * back unchanged (no `seed` added). `seed-major` lists every configuration with seed 1, then with
 * seed 2, ... (a grid: stopping early still compares every configuration); `config-major` lists a
 * configuration's seeds together (random and TPE: a configuration's mean is known soonest).
 */
export function expandRepeats<T extends Record<string, unknown>>(
  configs: readonly T[],
  repeats: number,
  order: 'seed-major' | 'config-major',
): (T & { seed?: number })[] {
  if (repeats <= 1) return [...configs];
  const seeds = repeatSeeds(repeats);
  return order === 'seed-major'
    ? seeds.flatMap((seed) => configs.map((config) => ({ ...config, seed })))
    : configs.flatMap((config) => seeds.map((seed) => ({ ...config, seed })));
}

/**
 * Key that groups a configuration's repeats: its params without `seed`, keys sorted, as JSON. Two
 * trials are repeats of one configuration exactly when their keys are equal.
 */
export function configurationKey(params: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(params).filter((k) => k !== 'seed').sort();
  return JSON.stringify(keys.map((k) => [k, params[k]]));
}
