import { z } from 'zod';

/** Largest number of trials one sweep may have. */
export const MAX_TRIALS_PER_SWEEP = 10_000;

/** `repeats`: runs per configuration, with template seeds 1..N. */
export const Repeats = z.number().int().min(1, 'repeats must be at least 1 (each configuration runs once per seed)').max(100);

/** `maxTrials`: trials to run in all, repeats included. */
export const MaxTrials = z.number().int().min(1).max(MAX_TRIALS_PER_SWEEP);

/** Search methods: `grid` lists every combination, `random` samples, `tpe` samples where good trials were. */
export const SearchMethod = z.enum(['grid', 'random', 'tpe'], { message: 'method must be grid, random or tpe' });
export type SearchMethod = z.infer<typeof SearchMethod>;

/** Knobs of the TPE sampler (docs/search.md); every one has Optuna's default. */
export const TpeOptions = z
  .object({
    /** Configurations sampled at random before TPE models the results (Optuna's n_startup_trials). */
    startupTrials: z.number().int().min(1).max(1000).default(10),
    /** Candidates drawn from the good model per proposal; the best ratio good/bad wins (n_ei_candidates). */
    candidates: z.number().int().min(1).max(1000).default(24),
    /** Share of finished configurations counted as good (at most 25 of them, as Optuna's default gamma). */
    gamma: z.number().gt(0, 'gamma must lie in (0, 1)').lt(1, 'gamma must lie in (0, 1)').default(0.1),
  })
  .strict();
export type TpeOptions = z.infer<typeof TpeOptions>;

/** No early stopping: every trial runs all its epochs. */
export const NoPruner = z.object({ /** Pruner kind. */ type: z.literal('none') }).strict();

/** Stops a trial whose best value so far is worse than the median of the others' at the same step. */
export const MedianPrunerSpec = z
  .object({
    /** Pruner kind. */
    type: z.literal('median'),
    /** Steps (epochs) a trial always runs before it can be stopped (Optuna's n_warmup_steps). */
    warmupSteps: z.number().int().min(0).default(0),
    /** Other trials that must have reached the step before the median is trusted (Optuna's n_startup_trials). */
    minTrials: z.number().int().min(1).default(5),
  })
  .strict();

/**
 * Asynchronous successive halving: rungs at gracePeriod·η^k steps; a trial reaching a rung goes on
 * if it is in the rung's top 1/η so far, else it is paused and may be promoted later.
 */
export const AshaPrunerSpec = z
  .object({
    /** Pruner kind. */
    type: z.literal('asha'),
    /** Steps (epochs) every trial runs before its first rung. */
    gracePeriod: z.number().int().min(1).default(1),
    /** η: each rung keeps the top 1/η of the trials that reached it. */
    reductionFactor: z.number().int().min(2, 'reductionFactor must be at least 2').max(100).default(3),
    /** Steps of a full run; no rung at or past it. Default: no last rung (trials end at their own epochs). */
    maxSteps: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((a) => a.maxSteps === undefined || a.maxSteps > a.gracePeriod, { message: 'maxSteps must be above gracePeriod', path: ['maxSteps'] });

/** Early stopping across the trials of a sweep. */
export const PrunerSpec = z.discriminatedUnion('type', [NoPruner, MedianPrunerSpec, AshaPrunerSpec], {
  error: 'pruner.type must be none, median or asha',
});
export type PrunerSpec = z.infer<typeof PrunerSpec>;
export type MedianPrunerSpec = z.infer<typeof MedianPrunerSpec>;
export type AshaPrunerSpec = z.infer<typeof AshaPrunerSpec>;
