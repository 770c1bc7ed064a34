import { z } from 'zod';
import { LearningRateParam, SeedParam } from './shared.params.js';

/** `none` or `[]`: every layer has dilation 1; `1,2,4,8` (a string, so a sweep can grid over it) or an array: one rate per layer. */
const Dilations = z
  .union([z.string(), z.array(z.number())], { message: 'give dilations as "none", "1,2,4,8" or an array of integers' })
  .transform((v, ctx) => {
    if (Array.isArray(v)) return v;
    if (v.trim() === 'none') return [];
    if (/^\s*\d+(\s*,\s*\d+)*\s*$/.test(v)) return v.split(',').map((d) => Number(d.trim()));
    ctx.addIssue({ code: 'custom', message: 'write dilations as comma-separated integers, e.g. "1,2,4,8", or "none"' });
    return z.NEVER;
  })
  .pipe(z.array(z.number().int().min(1, 'dilation rates start at 1').max(512)).max(16));

/** Forecasting with stacked causal (optionally dilated) 1D convolutions: the course's first lesson. */
export const TimeseriesCausalCnnParams = z
  .object({
    /** `synthetic`: the course's 1,000 seeded sine series; `csv`: sliding windows over one column of `csvPath`. */
    dataset: z.enum(['synthetic', 'csv']).default('synthetic'),
    /** CSV file (header row, one row per time step) when `dataset` is `csv`, inside the worker's data roots (`ABLATE_DATA_ROOTS`). */
    csvPath: z.string().min(1).optional(),
    /** Column to forecast (header name); defaults to the last column. */
    csvColumn: z.string().min(1).optional(),
    /** Causal convolution layers. */
    layers: z.number().int().min(1).max(16).default(4),
    /** Filters per layer. */
    filters: z.number().int().min(1).max(512).default(32),
    /** Kernel size of every layer. */
    kernelSize: z.number().int().min(1).max(32).default(5),
    /** Dilation rate per layer; the course's dilated model uses "1,2,4,8". */
    dilations: Dilations.default([]),
    /** Steps predicted at once (the model keeps its last `lookAhead` outputs). */
    lookAhead: z.number().int().min(1).max(128).default(10),
    /** Input window length. */
    inputSteps: z.number().int().min(8).max(4096).default(128),
    /** Standard deviation of the Gaussian noise added to the synthetic series. */
    noise: z.number().min(0).max(5).default(0.1),
    /** Synthetic series generated; the first 80% train, the rest validate (the course: 1,000). */
    seriesCount: z.number().int().min(10).max(100_000).default(1000),
    /** Length of the auto-regressive forecast scored as `forecast_mse` (a multiple of `lookAhead` is fed back). */
    forecastSteps: z.number().int().min(1).max(4096).default(80),
    /** Training epochs. */
    epochs: z.number().int().min(1).max(1000).default(50),
    /** Mini-batch size. */
    batchSize: z.number().int().min(1).max(4096).default(128),
    learningRate: LearningRateParam,
    seed: SeedParam,
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.dilations.length > 0 && p.dilations.length !== p.layers) {
      ctx.addIssue({ code: 'custom', path: ['dilations'], message: `give one dilation rate per layer (${p.layers}), or "none"` });
    }
    if (p.dataset === 'csv' && p.csvPath === undefined) {
      ctx.addIssue({ code: 'custom', path: ['csvPath'], message: 'give csvPath when dataset is csv' });
    }
    if (p.dataset !== 'csv' && (p.csvPath !== undefined || p.csvColumn !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['csvPath'], message: 'csvPath and csvColumn are only used with dataset: csv' });
    }
  });
export type TimeseriesCausalCnnParams = z.infer<typeof TimeseriesCausalCnnParams>;
