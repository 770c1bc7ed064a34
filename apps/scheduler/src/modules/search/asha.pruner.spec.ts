import { describe, expect, it } from 'vitest';
import { ashaOnRung, rungCrossed, settleAsha, type AshaOptions } from './asha.pruner.js';
import type { RungEntry } from './pruning.types.js';

const acc = { name: 'val_acc', goal: 'maximize' } as const;
const loss = { name: 'loss', goal: 'minimize' } as const;
const options: AshaOptions = { gracePeriod: 1, reductionFactor: 3 };

/** Feeds arrivals to one rung in order, as the report path would, and records each answer. */
function arrive(metric: typeof acc | typeof loss, arrivals: [string, number][]) {
  let rung: RungEntry[] = [];
  const answers: string[] = [];
  for (const [trialId, value] of arrivals) {
    const out = ashaOnRung(options, metric, 0, rung, { trialId, value, final: false });
    rung = out.rung;
    answers.push(`${trialId}:${out.verdict.decision}${out.verdict.promote.length ? `+${out.verdict.promote.join(',')}` : ''}`);
  }
  return { rung, answers };
}

describe('ashaOnRung', () => {
  it('pauses until the rung allows floor(n/η) to go on, then promotes in order of value', () => {
    const { rung, answers } = arrive(acc, [
      ['a', 0.5], ['b', 0.7], ['c', 0.6], ['d', 0.9], ['e', 0.1], ['f', 0.65],
      ['g', 0.95], ['h', 0.2], ['i', 0.3], ['j', 0.8], ['k', 0.75], ['l', 0],
    ]);
    expect(answers).toEqual([
      'a:pause',
      'b:pause',
      'c:pause+b', // 3 trials: quota 1, and the best (b) is paused: it resumes
      'd:continue', // d leads the top 1: on at once; b keeps its promotion (ASHA never takes one back)
      'e:pause',
      'f:pause', // quota 2: d and b, both gone on already
      'g:continue',
      'h:pause',
      'i:pause', // quota 3: g, d, b
      'j:continue', // top 3 is now g, d, j
      'k:pause',
      'l:pause+k', // quota 4: k, paused at 0.75, is fourth best: promoted later, when the rung allowed it
    ]);
    expect(rung.filter((e) => e.status === 'promoted').map((e) => e.trialId)).toEqual(['b', 'd', 'g', 'j', 'k']);
  });

  it('ranks a minimised metric the other way', () => {
    const { answers } = arrive(loss, [['a', 0.5], ['b', 0.7], ['c', 0.6]]);
    expect(answers[2]).toBe('c:pause+a');
  });

  it('explains a pause, lets a final report end the trial, and answers a repeated report the same', () => {
    const first = ashaOnRung(options, acc, 1, [], { trialId: 'a', value: 0.4, final: false });
    expect(first.verdict.reason).toBe('paused at rung 1 (step 3): val_acc 0.4 is not in the top 1/3 of the 1 trials there yet');
    const again = ashaOnRung(options, acc, 1, first.rung, { trialId: 'a', value: 0.4, final: false });
    expect(again).toEqual({ verdict: { decision: 'pause', promote: [] }, rung: first.rung });
    const last = ashaOnRung(options, acc, 1, first.rung, { trialId: 'z', value: 0.1, final: true });
    expect(last.verdict.decision).toBe('continue');
    expect(last.rung.find((e) => e.trialId === 'z')?.status).toBe('stopped');
  });
});

describe('rungCrossed', () => {
  it('places rungs at gracePeriod·η^k below maxSteps', () => {
    const o: AshaOptions = { gracePeriod: 2, reductionFactor: 2, maxSteps: 16 };
    expect([1, 2, 3, 4, 8, 16].map((s) => rungCrossed(o, s - 1, s))).toEqual([undefined, 0, undefined, 1, 2, undefined]);
    expect(rungCrossed(o, 0, 9)).toBe(2);
  });
});

describe('settleAsha', () => {
  const e = (trialId: string, value: number, status: RungEntry['status'] = 'paused'): RungEntry => ({ trialId, value, status });

  it('promotes the best ceil(n/η) of the lowest rung and prunes its other paused trials, waiting above a promotion', () => {
    const rung0 = [e('a', 0.5), e('b', 0.7, 'promoted'), e('c', 0.6), e('d', 0.2)]; // ceil(4/3) = 2: b (done) and c
    const rung1 = [e('b', 0.8)];
    const out = settleAsha(options, acc, [rung0, rung1]);
    expect(out.promote).toEqual(['c']);
    expect(out.prune.map((p) => p.trialId)).toEqual(['a', 'd']);
    expect(out.prune[0]?.reason).toBe('pruned at rung 0 (step 1): val_acc 0.5 was not in the top 1/3 of the 4 trials there');
    expect(out.rungs[1]).toEqual(rung1); // c may still arrive at rung 1
  });

  it('lets a small sweep finish: the best of a rung below η trials goes on', () => {
    const out = settleAsha(options, loss, [[e('a', 0.5, 'stopped'), e('b', 0.4, 'promoted')], [e('b', 0.3)]]);
    expect(out).toMatchObject({ promote: ['b'], prune: [] });
    expect(out.rungs[1]?.[0]?.status).toBe('promoted');
  });

  it('ends: once no rung can promote, every paused trial is pruned', () => {
    const out = settleAsha(options, acc, [[e('a', 0.9, 'promoted'), e('b', 0.1), e('c', 0.2)]]);
    expect(out).toMatchObject({ promote: [], prune: [{ trialId: 'b' }, { trialId: 'c' }] });
  });
});
