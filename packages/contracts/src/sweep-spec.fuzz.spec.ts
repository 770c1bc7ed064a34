import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { findUnstorableText } from './safe-text.js';
import { MAX_TRIALS_PER_SWEEP } from './search-options.schema.js';
import { planSweep, type SweepSpecInput } from './sweep-spec.schema.js';
import { MAX_METRIC_MAGNITUDE, MAX_STEP, RegisterWorkerRequest, TrialReport } from './worker.schema.js';

// A fixed seed keeps the run repeatable; FUZZ_SEED explores others. A failure prints its seed and path.
const seed = Number(process.env.FUZZ_SEED ?? 7_2026);
const runs = (n: number) => ({ seed, numRuns: n * Number(process.env.FUZZ_SCALE ?? 1) });

const nastyStrings = ['', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDFFF', '\uDBFF\uDFFF', '%00', '\u202E', '__proto__', 'constructor', 'x'.repeat(5000)];
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...nastyStrings));
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 31, 2 ** 53, 1e308, -1e308, Number.MIN_VALUE, -0, 1e-320));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
}));

const base: SweepSpecInput = {
  name: 'fuzz',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0, 0.5] }, batchNorm: { values: [false, true] }, epochs: { value: 1 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

/** Every path into `v` (objects and arrays), the root included. */
function pathsOf(v: unknown, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  return [prefix, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...prefix, k]))];
}

/** `base` with the value at `path` replaced, deleted, or a stray key added beside it. */
function mutate<T>(original: T, path: string[], replacement: unknown, how: 'replace' | 'delete' | 'add'): unknown {
  const copy = structuredClone(original) as unknown;
  if (path.length === 0) return how === 'replace' ? replacement : copy;
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy as Record<string, unknown>);
  const key = path.at(-1)!;
  if (how === 'replace') parent[key] = replacement;
  if (how === 'delete') delete parent[key];
  if (how === 'add') parent[`${key}_extra`] = replacement;
  return copy;
}

const mutation = <T>(original: T) => fc.tuple(fc.constantFrom(...pathsOf(original)), value, fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'delete', 'add')).map(([p, v, how]) => mutate(original, p, v, how));

/** planSweep either plans a storable sweep within the limits or throws a validation ApiError with issues. */
function checkPlan(raw: unknown): void {
  let plan: ReturnType<typeof planSweep>;
  try {
    plan = planSweep(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('validation_failed');
    expect((err as ApiError).issues?.length).toBeGreaterThan(0);
    return;
  }
  expect(plan.trials.length).toBeLessThanOrEqual(MAX_TRIALS_PER_SWEEP);
  expect(findUnstorableText(plan.spec)).toBeNull();
  expect(findUnstorableText(plan.trials)).toBeNull();
}

describe('fuzz: planSweep on any input returns a plan or throws an ApiError', () => {
  it('arbitrary JSON-like values', () => {
    fc.assert(fc.property(value, (raw) => checkPlan(raw)), runs(1500));
  });

  it('valid specs with one field replaced, removed or added', () => {
    fc.assert(fc.property(mutation(base), (raw) => checkPlan(raw)), runs(1500));
  });
});

describe('fuzz: worker messages accepted by their schema are storable and bounded', () => {
  const report = { type: 'epoch', workerId: 'w', step: 1, metrics: { val_acc: 0.5 }, backend: 'cpu' };
  it('trial reports', () => {
    fc.assert(
      fc.property(fc.oneof(mutation(report), mutation({ ...report, type: 'failed', error: 'x', retryable: true }), value), (raw) => {
        const parsed = TrialReport.safeParse(raw);
        if (!parsed.success) return;
        expect(findUnstorableText(parsed.data)).toBeNull();
        if (parsed.data.type === 'epoch' || parsed.data.type === 'completed') {
          expect(parsed.data.step).toBeLessThanOrEqual(MAX_STEP);
          for (const v of Object.values(parsed.data.metrics)) expect(Math.abs(v)).toBeLessThanOrEqual(MAX_METRIC_MAGNITUDE);
        }
      }),
      runs(1000),
    );
  });

  it('worker registrations', () => {
    fc.assert(
      fc.property(fc.oneof(mutation({ host: 'h', slots: 1, backends: ['cpu'] }), value), (raw) => {
        const parsed = RegisterWorkerRequest.safeParse(raw);
        if (parsed.success) expect(findUnstorableText(parsed.data)).toBeNull();
      }),
      runs(500),
    );
  });
});
