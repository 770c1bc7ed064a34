import { z } from 'zod';

/** Parallel-coordinates lines beyond this are sampled evenly by rank, and the answer says so. */
export const MAX_PARALLEL_LINES = 10_000;

/** Quantile bins a range knob (uniform, log-uniform, int with many values) is cut into for importance. */
export const IMPORTANCE_BINS = 8;

/** The importance method, named as the page shows it. */
export const IMPORTANCE_METHOD =
  'main-effect variance share (η², fANOVA-style first-order marginals): the part of the score variance that each knob\'s marginal means explain; ranges in 8 quantile bins';

/** The baseline rule, as the page shows it. */
export const BASELINE_RULE = 'each knob at the first value the spec lists for it (list the baseline first)';

/** A knob's value as stored in a trial's params (JSON). */
const KnobValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One parameter the sweep varies (`seed` never counts: it is the noise the repeats average over). */
export const AnalysisKnob = z.object({
  /** Template param name. */
  name: z.string(),
  /** `discrete`: a list of values (spec `values`/`categorical`, or few distinct values); `range`: sampled from a range. */
  kind: z.enum(['discrete', 'range']),
  /** Discrete knobs: the values in spec order (then any others seen); empty for ranges. */
  values: z.array(KnobValue),
  /** The baseline value (see BASELINE_RULE); null for a range knob, which has no baseline. */
  baseline: KnobValue,
});
export type AnalysisKnob = z.infer<typeof AnalysisKnob>;

/** One knob's importance. */
export const KnobImportance = z.object({
  /** Knob name. */
  knob: z.string(),
  /** Share of the score variance explained by the knob's marginal means, 0..1. */
  share: z.number(),
  /** Groups (values or bins) the marginal means were taken over. */
  groups: z.number().int(),
});
export type KnobImportance = z.infer<typeof KnobImportance>;

/** The metric of the configurations at the baseline, or one knob away from it, over seeds. */
export const AblationRow = z.object({
  /** The knob changed; null on the baseline row. */
  knob: z.string().nullable(),
  /** The knob's value on this row (the baseline row: null). */
  value: KnobValue,
  /** Mean score of the completed runs, null while none has completed. */
  mean: z.number().nullable(),
  /** Sample standard deviation over those runs (null with fewer than 2). */
  std: z.number().nullable(),
  /** Completed runs with a score. */
  n: z.number().int(),
  /** mean − the baseline's mean (null while either is unknown); its sign is better or worse per the metric's goal. */
  delta: z.number().nullable(),
});
export type AblationRow = z.infer<typeof AblationRow>;

/** Response of `GET /api/sweeps/:id/analysis`: what the sweep page's charts and ablation table show. */
export const SweepAnalysis = z.object({
  /** The sweep. */
  sweepId: z.string(),
  /** Ranking metric and direction. */
  metric: z.object({ /** Metric name. */ name: z.string(), /** Direction. */ goal: z.enum(['minimize', 'maximize']) }),
  /** Completed trials with a score: what importance, ablation and parallel coordinates are computed over. */
  completed: z.number().int(),
  /** The knobs, in spec order. */
  knobs: z.array(AnalysisKnob),
  /** Importance of each knob, most important first. */
  importance: z.object({
    /** The method, in words (IMPORTANCE_METHOD). */
    method: z.string(),
    /** Per knob. */
    knobs: z.array(KnobImportance),
    /** What no single knob explains (interactions and seed noise), 0..1; null without variance. */
    residual: z.number().nullable(),
  }),
  /** The ablation table: the baseline row first, then one row per (knob, other value). */
  ablation: z.object({
    /** The rule that picked the baseline (BASELINE_RULE). */
    rule: z.string(),
    /** Baseline value of each discrete knob. */
    baseline: z.record(z.string(), KnobValue),
    /** Rows. */
    rows: z.array(AblationRow),
  }),
  /** Best score so far against finished trials (completed and pruned) in the order they finished. */
  bestSoFar: z.object({
    /** Finished trials with a score. */
    finished: z.number().int(),
    /** `[n, best]`: the best score once n trials had finished, at every n where it improved and at the last n (a step curve). */
    points: z.array(z.tuple([z.number().int(), z.number()])),
  }),
  /** Parallel coordinates: one line per completed trial, best first. */
  parallel: z.object({
    /** Lines: the knob values in `knobs` order, then the score. */
    lines: z.array(z.array(KnobValue)),
    /** Completed trials in all (lines may be fewer). */
    total: z.number().int(),
    /** True when `lines` is an even sample of MAX_PARALLEL_LINES by rank. */
    sampled: z.boolean(),
  }),
});
export type SweepAnalysis = z.infer<typeof SweepAnalysis>;
