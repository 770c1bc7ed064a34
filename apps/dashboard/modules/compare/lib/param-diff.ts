/** One param across the compared trials. */
export interface ParamRow {
  name: string;
  /** The value in each trial, in the trials' order (undefined where a trial lacks it). */
  values: unknown[];
  /** True when not every trial has the same value. */
  differs: boolean;
}

/** Compares values by their JSON text, so arrays and objects compare by content. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every param of the trials, the differing ones first (each group in name order). */
export function paramDiff(trials: readonly { params: Record<string, unknown> }[]): ParamRow[] {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort((a, b) => a.localeCompare(b));
  const rows = names.map((name) => {
    const values = trials.map((t) => t.params[name]);
    return { name, values, differs: values.some((v) => !same(v, values[0])) };
  });
  return [...rows.filter((r) => r.differs), ...rows.filter((r) => !r.differs)];
}
