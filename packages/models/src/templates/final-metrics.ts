import type { TrainResult } from '../training/train-loop.js';

/** The named metrics of the epoch whose weights the model ends with. */
export function finalMetrics(result: TrainResult, names: string[]): Record<string, number> {
  const record = result.history.find((h) => h.step === result.bestEpoch) ?? result.history.at(-1);
  const out: Record<string, number> = {};
  for (const name of names) {
    const value = record?.metrics[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
