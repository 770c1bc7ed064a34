import type { Primitive, SearchMethod } from '@ablate/contracts';

/**
 * A configuration a strategy proposes: the swept params that exist in it (conditions applied), no
 * template defaults. A grid's configurations already carry their repeat `seed`; for random and
 * TPE `SweepSearch` adds the seeds. Template defaults are filled in when trials are made.
 */
export type Configuration = Record<string, Primitive>;

/** How a finished trial ended, as the strategies see it. */
export type ObservationStatus = 'completed' | 'pruned' | 'failed' | 'cancelled';

/** One finished trial, from the columns the scheduler already keeps (`trials.params`, `score`, `status`, `step`). */
export interface Observation {
  /** The trial's params as stored (template defaults filled in; `seed` set when repeats > 1). */
  params: Readonly<Record<string, unknown>>;
  /** Best value of the sweep's metric it reported; `null` if none. */
  score: number | null;
  /** How it ended; TPE reads completed and pruned trials and skips the rest. */
  status: ObservationStatus;
  /** Last step it reported (of two pruned trials, the one that got further ranks higher). */
  step: number;
}

/**
 * A strategy's state between proposals, stored in `sweeps.sweep_state` (jsonb). Plain JSON: a
 * proposal reads it and returns the next one; nothing is kept in memory between calls.
 */
export interface SearchState {
  /** Configurations proposed so far (a grid's next index; how many random or TPE has drawn). */
  proposed: number;
  /** State of the seeded PRNG (pure-rand xoroshiro128plus `getState()`); empty for a grid. */
  rng: number[];
}

/** What `propose` needs. */
export interface ProposeInput {
  /** State the previous proposal returned (or `initialState()`). */
  state: SearchState;
  /** Finished trials in creation order; only read when `needsHistory` (TPE). */
  history: readonly Observation[];
  /** Most configurations to propose now. */
  max: number;
}

/** What `propose` returns. */
export interface Proposal {
  /** State to store for the next proposal. */
  state: SearchState;
  /** New configurations in run order; fewer than asked once a grid is exhausted. */
  configurations: Configuration[];
}

/**
 * A search method behind one interface. `propose` is pure: the same state and history give the
 * same configurations, which is what makes a seeded sweep reproducible.
 */
export interface SearchStrategy {
  /** The method it implements. */
  readonly method: SearchMethod;
  /** Whether `propose` reads the history (only TPE); otherwise the caller need not load it. */
  readonly needsHistory: boolean;
  /** State of a new sweep. */
  initialState(): SearchState;
  /** Up to `max` new configurations and the state after them. */
  propose(input: ProposeInput): Proposal;
}
