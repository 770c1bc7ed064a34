import { expandRepeats, gridSize, templates, type SweepSpec } from '@ablate/contracts';
import { GridStrategy } from './grid.strategy.js';
import { RandomStrategy } from './random.strategy.js';
import type { Configuration, Observation, SearchState, SearchStrategy } from './search.types.js';
import { TpeStrategy } from './tpe.strategy.js';

/** Trials a TPE sweep keeps open (queued or running) without `maxConcurrent`: few, so each proposal learns from more results. */
export const TPE_DEFAULT_WINDOW = 8;

/** Refused configurations listed in a refill; past that they are counted. */
const MAX_REFUSED_LISTED = 20;

/** What the scheduler knows when it asks for more trials: all from the sweep row, plus TPE's history. */
export interface RefillInput {
  /** `sweeps.sweep_state` as the last refill returned it (or `initialState()`). */
  state: SearchState;
  /** Finished trials in creation order; pass `[]` unless `needsHistory`. */
  history: readonly Observation[];
  /** Trials the sweep has (`sweeps.trial_count`). */
  created: number;
  /** Trials queued, leased or running now (from the sweep's status counters). */
  open: number;
  /** The sweep's current budget of trials (`maxTrials`, perhaps raised since creation); `undefined` for an uncapped grid. */
  maxTrials: number | undefined;
}

/** What to store and insert, in the same transaction. */
export interface Refill {
  /** New `sweeps.sweep_state`. */
  state: SearchState;
  /** Params of the trials to insert, in run order (template defaults filled in, repeat seeds set). */
  trials: Record<string, unknown>[];
  /** Configurations the template refused (rules across params), each with why (the first 20); they were drawn again. */
  refused: string[];
}

/**
 * A sweep's search: the strategy its method names, plus the rules around it that every method
 * shares: repeats, the trial budget, how many trials to keep open, template defaults. Pure; the
 * scheduler calls `refill` when it creates the sweep, after each trial finishes and after
 * `maxTrials` is raised, all inside the transaction that holds the sweep row.
 */
export class SweepSearch {
  readonly strategy: SearchStrategy;
  private readonly repeats: number;

  constructor(private readonly spec: SweepSpec) {
    this.repeats = spec.repeats ?? 1;
    const seed = spec.seed ?? 0;
    this.strategy =
      spec.method === 'grid'
        ? new GridStrategy(spec.parameters, this.repeats)
        : spec.method === 'random'
          ? new RandomStrategy(spec.parameters, seed)
          : new TpeStrategy(spec.parameters, seed, spec.metric.goal, spec.tpe);
  }

  /** Whether `refill` reads the history (TPE only): otherwise skip loading it. */
  get needsHistory(): boolean {
    return this.strategy.needsHistory;
  }

  initialState(): SearchState {
    return this.strategy.initialState();
  }

  /** Trials the sweep runs in all: its budget, and for a grid at most the grid. */
  budget(maxTrials: number | undefined): number {
    const grid = this.spec.method === 'grid' ? gridSize(this.spec.parameters) * this.repeats : Infinity;
    return Math.min(grid, maxTrials ?? Infinity);
  }

  /** Trials to have open: everything for grid and random (nothing to learn), a window for TPE. */
  private wanted(input: RefillInput): number {
    const left = Math.max(0, this.budget(input.maxTrials) - input.created);
    if (this.spec.method !== 'tpe') return left;
    const window = Math.ceil((this.spec.maxConcurrent ?? TPE_DEFAULT_WINDOW) / this.repeats) * this.repeats;
    return Math.min(left, Math.max(0, window - input.open));
  }

  /** The trials to insert now, and the state to store with them. */
  refill(input: RefillInput): Refill {
    // Whole configurations only: a configuration's repeats are inserted together.
    const perConfiguration = this.spec.method === 'grid' ? 1 : this.repeats;
    const want = Math.floor(this.wanted(input) / perConfiguration) * perConfiguration;
    let state = input.state;
    const trials: Record<string, unknown>[] = [];
    const refused: string[] = [];
    // A configuration the template refuses is drawn again (a grid's never change), up to ten
    // draws per wanted configuration: a space the template mostly refuses ends short, not stuck.
    const limit = 10 * (want / perConfiguration) + 10;
    for (let drawn = 0; trials.length < want && drawn < limit; ) {
      const proposal = this.strategy.propose({ state, history: input.history, max: (want - trials.length) / perConfiguration });
      state = proposal.state;
      drawn += proposal.configurations.length;
      for (const configuration of proposal.configurations) this.addTrials(configuration, trials, refused);
      if (this.spec.method === 'grid' || proposal.configurations.length === 0) break;
    }
    const extra = refused.length - MAX_REFUSED_LISTED;
    return { state, trials, refused: extra > 0 ? [...refused.slice(0, MAX_REFUSED_LISTED), `... and ${extra} more`] : refused };
  }

  private addTrials(configuration: Configuration, trials: Record<string, unknown>[], refused: string[]): void {
    const schema = templates[this.spec.template].params;
    const runs = this.spec.method === 'grid' ? [configuration] : expandRepeats([configuration], this.repeats, 'config-major');
    const parsed = runs.map((run) => schema.safeParse(run));
    const failure = parsed.find((p) => !p.success);
    if (failure?.error) {
      refused.push(`${JSON.stringify(configuration)}: ${failure.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      return;
    }
    for (const p of parsed) if (p.success) trials.push(p.data);
  }
}
