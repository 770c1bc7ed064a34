import { expandGrid, expandRepeats, type ParameterSpace } from '@ablate/contracts';
import type { Configuration, Proposal, ProposeInput, SearchState, SearchStrategy } from './search.types.js';

/**
 * Today's grid behind the strategy interface: every combination (conditions applied), repeats as
 * the outermost axis (seed 1 for every combination first, so stopping early still compares them
 * all), in the order `planSweep` lists them. The state is the index of the next one; a proposal
 * lists the grid again (O(grid size), only when a sweep is created or its maxTrials raised).
 */
export class GridStrategy implements SearchStrategy {
  readonly method = 'grid' as const;
  readonly needsHistory = false;

  constructor(
    private readonly parameters: Readonly<Record<string, ParameterSpace>>,
    private readonly repeats: number,
  ) {}

  initialState(): SearchState {
    return { proposed: 0, rng: [] };
  }

  /** Every configuration of the grid in run order, seeds included. */
  all(): Configuration[] {
    return expandRepeats(expandGrid(this.parameters), this.repeats, 'seed-major');
  }

  propose({ state, max }: ProposeInput): Proposal {
    const configurations = this.all().slice(state.proposed, state.proposed + Math.max(0, max));
    return { state: { ...state, proposed: state.proposed + configurations.length }, configurations };
  }
}
