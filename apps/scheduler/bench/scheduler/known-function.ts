import type { ParameterSpace, SweepSpecInput } from '@ablate/contracts';

/**
 * bench:search's known function (bench/search.bench.ts), on params the cifar10-cnn template has so
 * that the real scheduler can run it: a 4-parameter quadratic bowl with a categorical, minimum 0.
 * `rotation` in [0, 180] stands for bench:search's x in [-5, 5] (x = rotation / 18 - 5: an affine
 * change that neither sampler notices), `batchSize` for its units, `standardization` for its
 * optimizer. The simulated workers report it as val_loss.
 */
export const KNOWN_SPACE: Record<string, ParameterSpace> = {
  rotation: { uniform: { min: 0, max: 180 } },
  learningRate: { loguniform: { min: 1e-5, max: 1 } },
  batchSize: { int: { min: 8, max: 128, step: 8 } },
  standardization: { categorical: { values: ['none', 'range', 'zscore'] } },
};

const OFFSET: Record<string, number> = { none: 2, range: 1, zscore: 0 };

/** 0 at rotation = 117 (x = 1.5), learningRate = 10^-2.5, batchSize = 64, standardization = zscore. */
export function knownFunction(params: Record<string, unknown>): number {
  const x = (params.rotation as number) / 18 - 5;
  const lr = Math.log10(params.learningRate as number);
  const units = params.batchSize as number;
  return (
    (x - 1.5) ** 2 / 4 +
    (lr + 2.5) ** 2 / 2 +
    ((units - 64) / 24) ** 2 +
    OFFSET[params.standardization as string]!
  );
}

/** A sweep of `trials` trials searching the known function with `method`, at most `maxConcurrent` open (TPE: its window). */
export function knownFunctionSpec(
  method: 'random' | 'tpe',
  seed: number,
  trials: number,
  maxConcurrent?: number,
): SweepSpecInput {
  return {
    name: `bench: ${method}${maxConcurrent ? `, ${maxConcurrent} open` : ''} on the known function, seed ${seed}`,
    template: 'cifar10-cnn',
    method,
    seed,
    maxTrials: trials,
    ...(maxConcurrent ? { maxConcurrent } : {}),
    parameters: KNOWN_SPACE,
    metric: { name: 'val_loss', goal: 'minimize' },
  };
}
