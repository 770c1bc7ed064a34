import { conditionOrder, presentParams, type Goal, type ParameterSpace, type Primitive, type TpeOptions } from '@ablate/contracts';
import { CategoricalParzenEstimator, NumericParzenEstimator, type NumericDomain } from './parzen-estimator.js';
import { buildConfiguration, samplePrior } from './space-sampling.js';
import { SeededRandom } from './seeded-random.js';
import type { Configuration, Proposal, ProposeInput, SearchState, SearchStrategy } from './search.types.js';
import { groupConfigurations, splitGoodBad, type ConfigurationResult } from './tpe-history.js';

/** TPE's knobs with their defaults filled in (see `TpeOptions` in the contracts). */
export const TPE_DEFAULTS: TpeOptions = { startupTrials: 10, candidates: 24, gamma: 0.1 };

/** A numeric space as TPE models it: its domain, and the maps into and out of it. */
function numericModel(space: ParameterSpace): { domain: NumericDomain; to: (v: number) => number; from: (x: number) => number } | undefined {
  if ('uniform' in space) return { domain: { low: space.uniform.min, high: space.uniform.max, step: 0 }, to: (v) => v, from: (x) => x };
  if ('int' in space) return { domain: { low: space.int.min, high: space.int.max - ((space.int.max - space.int.min) % (space.int.step ?? 1)), step: space.int.step ?? 1 }, to: (v) => v, from: (x) => x };
  if ('loguniform' in space) {
    const { min, max } = space.loguniform;
    return { domain: { low: Math.log(min), high: Math.log(max), step: 0 }, to: Math.log, from: (x) => Math.min(Math.max(Math.exp(x), min), max) };
  }
  return undefined;
}

/** Choices and prior weights of a listed space (`values` or `categorical`). */
function choicesOf(space: ParameterSpace): { values: Primitive[]; prior: number[] } {
  if ('categorical' in space) return { values: space.categorical.values, prior: space.categorical.weights ?? space.categorical.values.map(() => 1) };
  const values = 'values' in space ? space.values : [];
  return { values, prior: values.map(() => 1) };
}

/**
 * Tree-structured Parzen Estimator, independent per param as Optuna's default TPESampler: after
 * `startupTrials` configurations drawn from the priors, finished configurations (repeats scored by
 * their mean) are split at the gamma quantile into good and bad; each param gets a Parzen
 * estimator l(x) fitted on the good and g(x) on the bad configurations in which it exists
 * (conditions); `candidates` draws from l(x) compete and the best l(x)/g(x) wins. Cost per
 * proposal: O(history) to group and split, plus O(params × candidates × observations).
 */
export class TpeStrategy implements SearchStrategy {
  readonly method = 'tpe' as const;
  readonly needsHistory = true;
  private readonly options: TpeOptions;

  constructor(
    private readonly parameters: Readonly<Record<string, ParameterSpace>>,
    private readonly seed: number,
    private readonly goal: Goal,
    options: Partial<TpeOptions> = {},
  ) {
    this.options = { ...TPE_DEFAULTS, ...options };
  }

  initialState(): SearchState {
    return { proposed: 0, rng: SeededRandom.fromSeed(this.seed).state() };
  }

  propose({ state, history, max }: ProposeInput): Proposal {
    const rng = SeededRandom.fromState(state.rng);
    const results = groupConfigurations(history);
    const draw =
      results.length < this.options.startupTrials
        ? (_key: string, space: ParameterSpace) => samplePrior(space, rng)
        : this.modelDraw(results, rng);
    const configurations: Configuration[] = [];
    for (let i = 0; i < max; i++) configurations.push(buildConfiguration(this.parameters, draw));
    return { state: { proposed: state.proposed + configurations.length, rng: rng.state() }, configurations };
  }

  /** A per-param draw from the good/bad split of `results`; estimators are built once per proposal. */
  private modelDraw(results: readonly ConfigurationResult[], rng: SeededRandom): (key: string, space: ParameterSpace) => Primitive {
    const { good, bad } = splitGoodBad(results, this.options.gamma, this.goal);
    const order = conditionOrder(this.parameters) ?? Object.keys(this.parameters);
    const everywhere = new Set(order);
    const conditional = order.some((k) => this.parameters[k]?.when !== undefined);
    const withPresence = (rs: ConfigurationResult[]) =>
      rs.map((r) => ({ params: r.params, present: conditional ? presentParams(this.parameters, r.params, order) : everywhere }));
    const goodP = withPresence(good);
    const badP = withPresence(bad);
    const observed = (rs: typeof goodP, key: string) => rs.filter((r) => r.present.has(key)).map((r) => r.params[key]);
    const cache = new Map<string, (rng: SeededRandom) => Primitive>();
    return (key, space) => {
      let sampler = cache.get(key);
      if (!sampler) {
        sampler = this.paramSampler(space, observed(goodP, key), observed(badP, key));
        cache.set(key, sampler);
      }
      return sampler(rng);
    };
  }

  /** l(x) and g(x) for one param, and the draw that keeps the best of `candidates` by l/g. */
  private paramSampler(space: ParameterSpace, good: unknown[], bad: unknown[]): (rng: SeededRandom) => Primitive {
    if ('value' in space) return () => space.value;
    const numeric = numericModel(space);
    const best = <T>(rng: SeededRandom, sample: (r: SeededRandom) => T, score: (c: T) => number): T => {
      let winner = sample(rng);
      let top = score(winner);
      for (let i = 1; i < this.options.candidates; i++) {
        const c = sample(rng);
        const s = score(c);
        if (s > top) [winner, top] = [c, s];
      }
      return winner;
    };
    if (numeric) {
      const xs = (vs: unknown[]) => vs.filter((v): v is number => typeof v === 'number').map(numeric.to);
      const l = new NumericParzenEstimator(xs(good), numeric.domain);
      const g = new NumericParzenEstimator(xs(bad), numeric.domain);
      return (rng) => numeric.from(best(rng, (r) => l.sample(r), (x) => l.logPdf(x) - g.logPdf(x)));
    }
    const { values, prior } = choicesOf(space);
    const indices = (vs: unknown[]) => vs.map((v) => values.indexOf(v as Primitive)).filter((i) => i >= 0);
    const l = new CategoricalParzenEstimator(indices(good), prior);
    const g = new CategoricalParzenEstimator(indices(bad), prior);
    return (rng) => values[best(rng, (r) => l.sample(r), (c) => l.logPdf(c) - g.logPdf(c))]!;
  }
}
