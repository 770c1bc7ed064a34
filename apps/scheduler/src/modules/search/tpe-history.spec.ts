import { describe, expect, it } from 'vitest';
import type { Observation } from './search.types.js';
import { goodCount, groupConfigurations, splitGoodBad, type ConfigurationResult } from './tpe-history.js';

const obs = (params: Record<string, unknown>, score: number | null, status: Observation['status'] = 'completed', step = 10): Observation => ({ params, score, status, step });

describe('groupConfigurations', () => {
  it("scores a configuration by the mean of its repeats and skips failed, cancelled and unscored trials", () => {
    const results = groupConfigurations([
      obs({ lr: 1, seed: 1 }, 0.2),
      obs({ lr: 2, seed: 1 }, 0.5),
      obs({ seed: 2, lr: 1 }, 0.4),
      obs({ lr: 3, seed: 1 }, 0.1, 'failed'),
      obs({ lr: 4, seed: 1 }, 0.1, 'cancelled'),
      obs({ lr: 5, seed: 1 }, null),
    ]);
    expect(results.map((r) => [r.params.lr, r.score])).toEqual([
      [1, expect.closeTo(0.3, 12) as number],
      [2, 0.5],
    ]);
  });

  it('marks a configuration pruned if any repeat was, at the fewest steps one reached', () => {
    const [r] = groupConfigurations([obs({ lr: 1, seed: 1 }, 0.2), obs({ lr: 1, seed: 2 }, 0.6, 'pruned', 3), obs({ lr: 1, seed: 3 }, 0.4, 'pruned', 5)]);
    expect(r).toMatchObject({ pruned: true, step: 3 });
    expect(r?.score).toBeCloseTo(0.4, 12);
  });
});

describe('splitGoodBad', () => {
  const r = (score: number, pruned = false, step = 10): ConfigurationResult => ({ params: { score }, score, pruned, step });
  const results = [r(0.5), r(0.1), r(0.9, true, 8), r(0.3), r(0.05, true, 2), r(0.7)];

  it('takes the best completed ones as good, keeping creation order in both halves', () => {
    const { good, bad } = splitGoodBad(results, 0.5, 'minimize');
    expect(good.map((x) => x.score)).toEqual([0.5, 0.1, 0.3]);
    expect(bad.map((x) => x.score)).toEqual([0.9, 0.05, 0.7]);
  });

  it('ranks pruned configurations below completed ones (further first), whatever their score, for either goal', () => {
    const { good } = splitGoodBad(results, 0.7, 'maximize');
    // the 4 completed and the pruned one that reached step 8, in creation order; not the pruned 0.05
    expect(good.map((x) => x.score)).toEqual([0.5, 0.1, 0.9, 0.3, 0.7]);
  });

  it('counts ceil(gamma·n) as good, at most 25', () => {
    expect([goodCount(1, 0.1), goodCount(10, 0.1), goodCount(11, 0.1), goodCount(1000, 0.1)]).toEqual([1, 1, 2, 25]);
  });
});
