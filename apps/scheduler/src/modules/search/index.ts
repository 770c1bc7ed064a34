/**
 * Search and early stopping as pure logic (no Nest, no TypeORM): the sweeps and trials modules
 * call these inside their transactions. See docs/search.md.
 */
export type { Configuration, Observation, ObservationStatus, Proposal, ProposeInput, SearchState, SearchStrategy } from './search.types.js';
export { SweepSearch, TPE_DEFAULT_WINDOW, type Refill, type RefillInput } from './sweep-search.js';
export { GridStrategy } from './grid.strategy.js';
export { RandomStrategy } from './random.strategy.js';
export { TpeStrategy, TPE_DEFAULTS } from './tpe.strategy.js';
export { SeededRandom } from './seeded-random.js';
export type { PrunedMetric, PrunerCheck, PrunerVerdict, RungEntry, TrialDecision } from './pruning.types.js';
export { prunerCheck } from './pruner-check.js';
export { medianVerdict, type MedianOptions, type MedianTrial } from './median.pruner.js';
export { ashaOnRung, rungCrossed, rungStep, settleAsha, type AshaOptions, type AshaSettlement, type RungArrival, type RungOutcome } from './asha.pruner.js';
