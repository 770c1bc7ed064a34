import { z } from 'zod';
import { safeText } from './safe-text.js';

/** A value a template param takes in a trial: a number, a string or a boolean. */
export const Primitive = z.union([z.number(), safeText().max(4096), z.boolean()]);
export type Primitive = z.infer<typeof Primitive>;

/**
 * `when`: the param exists only in trials where every named param has the given value (or one of
 * the listed values); elsewhere the template's default applies. E.g. `{ batchNorm: true }`.
 */
export const Condition = z.record(z.string(), z.union([Primitive, z.array(Primitive).min(1, 'list at least one value')]));
export type Condition = z.infer<typeof Condition>;

const when = Condition.optional();

/** A range with min at or above max has nothing to sample. */
function minBelowMax(r: { min: number; max: number }, ctx: z.RefinementCtx): void {
  if (r.min >= r.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `min (${r.min}) must be below max (${r.max})` });
}

const Range = z
  .object({
    /** Lowest value (inclusive). */
    min: z.number(),
    /** Highest value (inclusive). */
    max: z.number(),
  })
  .strict()
  .superRefine(minBelowMax);

/** `{ values: [...] }`: a grid walks these in order; random and TPE pick one (all equally likely). */
export const ValuesSpace = z.object({ /** The values, in order. */ values: z.array(Primitive).min(1, 'give at least one value'), /** Condition, see `Condition`. */ when }).strict();
/** `{ value: x }`: the same value in every trial. */
export const FixedSpace = z.object({ /** The value. */ value: Primitive, /** Condition, see `Condition`. */ when }).strict();
/** `{ uniform: { min, max } }`: any real number in the range, all equally likely (random and TPE only). */
export const UniformSpace = z.object({ /** The range. */ uniform: Range, /** Condition, see `Condition`. */ when }).strict();
/** `{ loguniform: { min, max } }`: a real number whose logarithm is uniform, for learning rates (random and TPE only). */
export const LogUniformSpace = z
  .object({
    /** The range; both bounds must be above 0. */
    loguniform: Range.refine((r) => r.min > 0, { message: 'a log range needs min above 0 (its logarithm must exist)', path: ['min'] }),
    /** Condition, see `Condition`. */
    when,
  })
  .strict();
/** `{ int: { min, max, step } }`: the integers min, min + step, ... up to max. */
export const IntSpace = z
  .object({
    /** The integer range. */
    int: z
      .object({
        /** Lowest value. */
        min: z.number().int(),
        /** Highest value (taken only if max - min is a multiple of step). */
        max: z.number().int(),
        /** Distance between values, default 1. */
        step: z.number().int().min(1, 'step must be at least 1').optional(),
      })
      .strict()
      .superRefine(minBelowMax),
    /** Condition, see `Condition`. */
    when,
  })
  .strict();
/** `{ categorical: { values, weights? } }`: one of the values, drawn with the given relative weights. */
export const CategoricalSpace = z
  .object({
    /** The choices and their weights. */
    categorical: z
      .object({
        /** The choices, each once. */
        values: z.array(Primitive).min(1, 'give at least one value'),
        /** Relative weight per value for random sampling and TPE's prior, default all equal. */
        weights: z.array(z.number().min(0, 'weights cannot be negative')).optional(),
      })
      .strict()
      .superRefine((c, ctx) => {
        if (new Set(c.values).size !== c.values.length) ctx.addIssue({ code: 'custom', path: ['values'], message: 'list each value once' });
        if (c.weights === undefined) return;
        if (c.weights.length !== c.values.length) ctx.addIssue({ code: 'custom', path: ['weights'], message: `give one weight per value (${c.values.length})` });
        else if (!c.weights.some((w) => w > 0)) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'at least one weight must be above 0' });
      }),
    /** Condition, see `Condition`. */
    when,
  })
  .strict();

/** The keys that say which kind a space is; a space has exactly one of them. */
export const SPACE_KINDS = ['values', 'value', 'uniform', 'loguniform', 'int', 'categorical'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

/** Schema of each kind, to explain a space that matched none (see `explainSpaceIssues`). */
export const spaceSchemas = {
  values: ValuesSpace,
  value: FixedSpace,
  uniform: UniformSpace,
  loguniform: LogUniformSpace,
  int: IntSpace,
  categorical: CategoricalSpace,
} as const satisfies Record<SpaceKind, z.ZodType>;

/** One knob of a sweep: a list, a fixed value, a range or weighted choices, optionally conditional. */
export const ParameterSpace = z.union([ValuesSpace, FixedSpace, UniformSpace, LogUniformSpace, IntSpace, CategoricalSpace], {
  error: `give exactly one of ${SPACE_KINDS.join(', ')} (plus an optional when)`,
});
export type ParameterSpace = z.infer<typeof ParameterSpace>;
