import type { ParameterSpace } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { candidateKnobs, type AnalysedTrial } from './analysis-knobs.js';
import { bestSoFar } from './best-so-far.js';
import { parallelLines } from './parallel-lines.js';
import { analyseSweep } from './sweep-analysis.js';

/** The course's dropout × batch-norm ablation, two seeds each: cell means 0.52, 0.58, 0.61, 0.71. */
const CELLS: [dropout: number, batchNorm: boolean, scores: [number, number]][] = [
  [0, false, [0.5, 0.54]],
  [0.3, false, [0.56, 0.6]],
  [0, true, [0.6, 0.62]],
  [0.3, true, [0.7, 0.72]],
];

function grid(batchNormValues: boolean[] = [false, true]) {
  const parameters: Record<string, ParameterSpace> = { dropout: { values: [0, 0.3] }, batchNorm: { values: batchNormValues }, epochs: { value: 3 } };
  let index = 0;
  const finished: AnalysedTrial[] = CELLS.flatMap(([dropout, batchNorm, scores]) => scores.map((score) => ({ index: index++, status: 'completed', score, values: [dropout, batchNorm] })));
  return { sweepId: 's', metric: { name: 'val_acc', goal: 'maximize' as const }, parameters, knobNames: candidateKnobs(parameters), finished };
}

describe('analyseSweep', () => {
  it('ablation: the baseline (each knob at its first listed value) and one row per knob one step away, mean ± sample std over seeds, n, delta', () => {
    const { ablation, knobs } = analyseSweep(grid());
    expect(knobs.map((k) => [k.name, k.kind, k.baseline])).toEqual([['dropout', 'discrete', 0], ['batchNorm', 'discrete', false]]);
    expect(ablation.baseline).toEqual({ dropout: 0, batchNorm: false });
    const rows = ablation.rows.map((r) => ({ ...r, mean: round(r.mean), std: round(r.std), delta: round(r.delta) }));
    expect(rows).toEqual([
      { knob: null, value: null, mean: 0.52, std: 0.028284, n: 2, delta: 0 },
      { knob: 'dropout', value: 0.3, mean: 0.58, std: 0.028284, n: 2, delta: 0.06 },
      { knob: 'batchNorm', value: true, mean: 0.61, std: 0.014142, n: 2, delta: 0.09 },
    ]);
  });

  it('baseline follows the spec: batch norm listed true first makes batch norm on the baseline', () => {
    const rows = analyseSweep(grid([true, false])).ablation.rows.map((r) => [r.knob, r.value, round(r.mean), round(r.delta)]);
    expect(rows).toEqual([[null, null, 0.61, 0], ['dropout', 0.3, 0.71, 0.1], ['batchNorm', false, 0.52, -0.09]]);
  });

  it('importance: each knob\'s main-effect share of the variance (η²), most important first, and the residual', () => {
    const { importance } = analyseSweep(grid());
    // SS total 0.0398: batch norm's marginals explain 0.0242, dropout's 0.0128, the interaction and seeds 0.0028.
    expect(importance.knobs.map((k) => [k.knob, round(k.share), k.groups])).toEqual([['batchNorm', 0.60804, 2], ['dropout', 0.321608, 2]]);
    expect(round(importance.residual)).toBe(0.070352);
    expect(importance.method).toMatch(/η²/);
  });

  it('ignores running-order noise: pruned trials count for best-so-far only; no variance gives no importance', () => {
    const input = grid();
    input.finished.push({ index: 99, status: 'pruned', score: 0.9, values: [0, false] });
    const analysis = analyseSweep(input);
    expect(analysis.completed).toBe(8);
    expect(analysis.ablation.rows[0]?.n).toBe(2);
    expect(analysis.bestSoFar.points.at(-1)).toEqual([9, 0.9]);
    const flat = analyseSweep({ ...input, finished: input.finished.map((t) => ({ ...t, score: 1 })) });
    expect(flat.importance.residual).toBeNull();
    expect(flat.importance.knobs.every((k) => k.share === 0)).toBe(true);
  });

  it('a range knob is binned for importance and has no ablation rows; trials are matched on the listed knobs; seed is never a knob', () => {
    const parameters: Record<string, ParameterSpace> = { lr: { loguniform: { min: 1e-4, max: 1e-1 } }, batchNorm: { values: [false, true] }, seed: { values: [1, 2] } };
    expect(candidateKnobs(parameters)).toEqual(['lr', 'batchNorm']);
    // lr alone decides the score (bins of 5), batch norm adds nothing.
    const finished: AnalysedTrial[] = Array.from({ length: 40 }, (_, i) => ({ index: i, status: 'completed', score: Math.floor(i / 5), values: [10 ** (-4 + (3 * i) / 40), i % 2 === 0] }));
    const analysis = analyseSweep({ sweepId: 's', metric: { name: 'val_loss', goal: 'minimize' }, parameters, knobNames: ['lr', 'batchNorm'], finished });
    expect(analysis.knobs[0]).toMatchObject({ name: 'lr', kind: 'range', baseline: null });
    expect(analysis.importance.knobs[0]).toMatchObject({ knob: 'lr', share: 1, groups: 8 });
    expect(analysis.ablation.rows.map((r) => [r.knob, r.n])).toEqual([[null, 20], ['batchNorm', 20]]);
  });
});

describe('bestSoFar and parallelLines', () => {
  it('keeps the best score in finish order, per goal', () => {
    expect(bestSoFar([0.5, 0.4, 0.7, 0.6], 'maximize')).toEqual({ finished: 4, points: [[1, 0.5], [3, 0.7], [4, 0.7]] });
    expect(bestSoFar([0.5, 0.4, 0.7, 0.3], 'minimize')).toEqual({ finished: 4, points: [[1, 0.5], [2, 0.4], [4, 0.3]] });
    expect(bestSoFar([0.5, 0.6], 'maximize').points).toEqual([[1, 0.5], [2, 0.6]]);
    expect(bestSoFar([], 'maximize')).toEqual({ finished: 0, points: [] });
  });

  it('one line per trial best first; past the cap an even sample by rank that keeps the best, and says so', () => {
    const trials: AnalysedTrial[] = [0.3, 0.9, 0.1, 0.5, 0.7, 0.2].map((score, index) => ({ index, status: 'completed', score, values: [index] }));
    expect(parallelLines(trials, 'maximize').lines).toEqual([[1, 0.9], [4, 0.7], [3, 0.5], [0, 0.3], [5, 0.2], [2, 0.1]]);
    expect(parallelLines(trials, 'maximize', 3)).toEqual({ lines: [[1, 0.9], [3, 0.5], [5, 0.2]], total: 6, sampled: true });
  });
});

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1e6) / 1e6;
}
