import type { ParameterSpace } from '@ablate/contracts';
import { buildConfiguration, samplePrior } from './space-sampling.js';
import { SeededRandom } from './seeded-random.js';
import type { Configuration, Proposal, ProposeInput, SearchState, SearchStrategy } from './search.types.js';

/**
 * Random search: each configuration drawn from the spaces' priors (uniform, log-uniform, int by
 * step, categorical by weight), conditions applied. The PRNG state is the whole strategy state, so
 * one seed gives the same sequence however the proposals are batched. O(params) per configuration.
 */
export class RandomStrategy implements SearchStrategy {
  readonly method = 'random' as const;
  readonly needsHistory = false;

  constructor(
    private readonly parameters: Readonly<Record<string, ParameterSpace>>,
    private readonly seed: number,
  ) {}

  initialState(): SearchState {
    return { proposed: 0, rng: SeededRandom.fromSeed(this.seed).state() };
  }

  propose({ state, max }: ProposeInput): Proposal {
    const rng = SeededRandom.fromState(state.rng);
    const configurations: Configuration[] = [];
    for (let i = 0; i < max; i++) configurations.push(buildConfiguration(this.parameters, (_key, space) => samplePrior(space, rng)));
    return { state: { proposed: state.proposed + configurations.length, rng: rng.state() }, configurations };
  }
}
