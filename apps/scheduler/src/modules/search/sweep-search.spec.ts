import { planSweep } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { SweepSearch, type RefillInput } from './sweep-search.js';

const base = { name: 's', template: 'cifar10-cnn', metric: { name: 'val_acc', goal: 'maximize' } } as const;

function search(raw: unknown) {
  const { spec } = planSweep(raw);
  return new SweepSearch(spec);
}

function start(s: SweepSearch, maxTrials: number | undefined): ReturnType<SweepSearch['refill']> {
  return s.refill({ state: s.initialState(), history: [], created: 0, open: 0, maxTrials });
}

describe('SweepSearch with a grid', () => {
  it("creates exactly planSweep's trials, for a grid of today and one with conditions, repeats and a cap", () => {
    const today = { ...base, template: 'mnist-cnn', parameters: { dropout: { values: [0, 0.5] }, batchNorm: { values: [false, true] }, epochs: { value: 2 } } } as const;
    expect(start(search(today), undefined).trials).toEqual(planSweep(today).trials);
    const rich = {
      ...base,
      repeats: 2,
      maxTrials: 9,
      parameters: { dropout: { values: [0, 0.3] }, batchNorm: { values: [false, true] }, batchNormPosition: { values: ['before-activation', 'after-activation'], when: { batchNorm: true } } },
    } as const;
    const first = start(search(rich), 9);
    expect(first.trials).toEqual(planSweep(rich).trials);
    expect(first.state.proposed).toBe(9);
  });

  it('adds the rest of a capped grid when maxTrials is raised, and nothing past the grid', () => {
    const spec = { ...base, maxTrials: 2, parameters: { dropout: { values: [0, 0.1, 0.2] } } } as const;
    const s = search(spec);
    const first = start(s, 2);
    const more: RefillInput = { state: first.state, history: [], created: 2, open: 2, maxTrials: 10 };
    expect(s.refill(more).trials.map((t) => t.dropout)).toEqual([0.2]);
    expect(s.budget(10)).toBe(3);
  });
});

describe('SweepSearch with random search', () => {
  const spec = { ...base, method: 'random', seed: 3, maxTrials: 12, repeats: 3, parameters: { dropout: { uniform: { min: 0, max: 0.5 } }, batchNorm: { categorical: { values: [true, false] } } } } as const;

  it("creates the whole budget at once, a configuration's seeds together, template defaults filled in", () => {
    const { trials } = start(search(spec), 12);
    expect(trials).toHaveLength(12);
    expect(trials.map((t) => t.seed)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(trials[0]?.dropout).toBe(trials[2]?.dropout);
    expect(trials[0]).toMatchObject({ epochs: 10, batchSize: 64 });
  });

  it('proposes the same trials on every run, and a raised budget continues the same sequence', () => {
    expect(start(search(spec), 12)).toEqual(start(search(spec), 12));
    const s = search(spec);
    const first = start(s, 6);
    const rest = s.refill({ state: JSON.parse(JSON.stringify(first.state)) as typeof first.state, history: [], created: 6, open: 6, maxTrials: 12 });
    expect([...first.trials, ...rest.trials]).toEqual(start(search(spec), 12).trials);
  });
});

describe('SweepSearch with TPE', () => {
  const spec = { ...base, method: 'tpe', maxTrials: 40, parameters: { dropout: { uniform: { min: 0, max: 0.5 } } } } as const;

  it('keeps a window of trials open so each proposal learns from more results', () => {
    const s = search(spec);
    expect(s.needsHistory).toBe(true);
    const first = start(s, 40);
    expect(first.trials).toHaveLength(8);
    expect(s.refill({ state: first.state, history: [], created: 8, open: 8, maxTrials: 40 }).trials).toHaveLength(0);
    expect(s.refill({ state: first.state, history: [], created: 8, open: 5, maxTrials: 40 }).trials).toHaveLength(3);
    expect(s.refill({ state: first.state, history: [], created: 39, open: 0, maxTrials: 40 }).trials).toHaveLength(1);
  });

  it('opens whole configurations only, up to maxConcurrent', () => {
    const s = search({ ...spec, repeats: 2, maxConcurrent: 5 });
    expect(start(s, 40).trials).toHaveLength(6); // 5 rounded up to whole configurations of 2
    expect(s.refill({ state: s.initialState(), history: [], created: 6, open: 5, maxTrials: 40 }).trials).toHaveLength(0); // 1 free slot: not a whole configuration
  });
});

describe('SweepSearch and the template', () => {
  it('draws again for a configuration the template refuses across params, and says why', () => {
    const spec = {
      ...base,
      template: 'transfer',
      method: 'random',
      maxTrials: 30,
      metric: { name: 'val_acc', goal: 'maximize' },
      parameters: { extractor: { value: 'file:///m/model.json' }, labels: { int: { min: 10, max: 1000 } }, trainSize: { int: { min: 10, max: 1000 } } },
    } as const;
    const out = start(search(spec), 30);
    expect(out.refused.length).toBeGreaterThan(0);
    expect(out.refused[0]).toContain('labels must be at most trainSize');
    expect(out.trials).toHaveLength(30);
    expect(out.trials.every((t) => (t.labels as number) <= (t.trainSize as number))).toBe(true);
  });
});
