import { MAX_METRIC_MAGNITUDE, MAX_STEP } from '@ablate/contracts';
import { parseLenientJson } from './lenient-json.js';

/**
 * One line a command trial printed on stdout, as the agent reads it (docs/command-trials.md):
 * a JSON object is a metric line (`{"step": 3, "val_acc": 0.81}`), a checkpoint line
 * (`{"checkpoint": 3}`), a final line (`{"final": true, "test_acc": 0.8}`) or several at once;
 * anything not starting with `{` is a log line.
 */
export type StdoutLine =
  | { kind: 'log' }
  /** A line that starts with `{` but is no usable metric line: logged with `reason`, skipped. */
  | { kind: 'malformed'; reason: string }
  | {
      kind: 'record';
      /** `step`, when given. */
      step: number | undefined;
      /** True for `"final": true`: the metrics are the trial's final ones. */
      final: boolean;
      /** `checkpoint`, when given: the checkpoint folder is consistent at this step. */
      checkpoint: number | undefined;
      /** The metrics that passed. */
      metrics: Record<string, number>;
      /** Metrics refused (not finite, not a number, a bad name), each with why, for the log. */
      refused: string[];
    };

const METRIC_NAME = /^[A-Za-z0-9_./-]{1,100}$/;
const RESERVED = new Set(['step', 'final', 'checkpoint']);
const MAX_METRICS = 100;

const isStep = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_STEP;

/** Reads one stdout line (without its line break). */
export function parseStdoutLine(line: string): StdoutLine {
  const text = line.trim();
  if (!text.startsWith('{')) return { kind: 'log' };
  const parsed = parseLenientJson(text);
  if (!parsed.ok) return { kind: 'malformed', reason: `not JSON (${parsed.error})` };
  const o = parsed.value;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return { kind: 'malformed', reason: 'not a JSON object' };
  const record = o as Record<string, unknown>;
  const { step, final, checkpoint } = record;
  if (step !== undefined && !isStep(step)) return { kind: 'malformed', reason: `"step" must be a whole number from 0 to ${MAX_STEP} (got ${show(step)})` };
  if (checkpoint !== undefined && !isStep(checkpoint)) return { kind: 'malformed', reason: `"checkpoint" must be the step the checkpoint folder holds, a whole number (got ${show(checkpoint)})` };
  if (final !== undefined && typeof final !== 'boolean') return { kind: 'malformed', reason: `"final" must be true or false (got ${show(final)})` };
  const names = Object.keys(record).filter((k) => !RESERVED.has(k));
  if (names.length > MAX_METRICS) return { kind: 'malformed', reason: `${names.length} metrics in one line; at most ${MAX_METRICS}` };
  if (names.length > 0 && step === undefined && final !== true) return { kind: 'malformed', reason: 'a metric line needs "step" (or "final": true)' };
  if (names.length === 0 && checkpoint === undefined && final !== true) return { kind: 'malformed', reason: 'no metrics, "checkpoint" or "final" in it' };
  const metrics: Record<string, number> = {};
  const refused: string[] = [];
  for (const name of names) {
    const why = refusal(name, record[name]);
    if (why) refused.push(why);
    else metrics[name] = record[name] as number;
  }
  return { kind: 'record', step, final: final === true, checkpoint, metrics, refused };
}

/** Why a metric cannot be reported, or null when it can. */
function refusal(name: string, value: unknown): string | null {
  if (!METRIC_NAME.test(name)) return `${JSON.stringify(name).slice(0, 120)} is no metric name (1-100 letters, digits, "_", ".", "/" or "-")`;
  if (typeof value === 'number' && Number.isNaN(value)) return `${name} is NaN; metrics must be finite numbers`;
  if (value === Infinity || value === -Infinity) return `${name} is ${String(value)}; metrics must be finite numbers`;
  if (typeof value !== 'number') return `${name} is ${show(value)}, not a number`;
  if (Math.abs(value) > MAX_METRIC_MAGNITUDE) return `${name} is ${value}, beyond float32 (±${MAX_METRIC_MAGNITUDE})`;
  return null;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length <= 60 ? s : `${s.slice(0, 60)}…`;
}
