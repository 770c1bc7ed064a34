import { describe, expect, it } from 'vitest';
import { medianVerdict } from './median.pruner.js';
import { prunerCheck } from './pruner-check.js';

const acc = { name: 'val_acc', goal: 'maximize' } as const;
const loss = { name: 'val_loss', goal: 'minimize' } as const;
const options = { warmupSteps: 2, minTrials: 3 };
const peers = [0.5, 0.75, 0.625, 0.875]; // median 0.6875

describe('medianVerdict', () => {
  it('prunes a maximised metric below the median of the peers at the step, with why', () => {
    const v = medianVerdict(options, acc, { step: 3, best: 0.6 }, peers);
    expect(v).toEqual({ decision: 'prune', reason: 'best val_acc so far (0.6) is below the median 0.6875 of 4 other trials at step 3', promote: [] });
    expect(medianVerdict(options, acc, { step: 3, best: 0.6875 }, peers).decision).toBe('continue'); // equal is not worse
    expect(medianVerdict(options, acc, { step: 3, best: 0.8 }, peers).decision).toBe('continue');
  });

  it('prunes a minimised metric above the median', () => {
    expect(medianVerdict(options, loss, { step: 3, best: 0.7 }, peers).decision).toBe('prune');
    expect(medianVerdict(options, loss, { step: 3, best: 0.6 }, peers).decision).toBe('continue');
    expect(medianVerdict(options, loss, { step: 3, best: 0.7 }, [0.2, 0.9, 0.4]).decision).toBe('prune'); // odd count: median 0.4
  });

  it('never prunes during the warm-up or with fewer peers than minTrials', () => {
    expect(medianVerdict(options, acc, { step: 2, best: 0.1 }, peers).decision).toBe('continue');
    expect(medianVerdict(options, acc, { step: 3, best: 0.1 }, [0.5, 0.7]).decision).toBe('continue');
  });
});

describe('prunerCheck', () => {
  it('asks for the peers at the step past the warm-up, for the rung a report crosses, or for nothing', () => {
    const median = { type: 'median', warmupSteps: 2, minTrials: 5 } as const;
    expect(prunerCheck(median, 1, 2)).toEqual({ kind: 'none' });
    expect(prunerCheck(median, 2, 3)).toEqual({ kind: 'median', step: 3 });
    const asha = { type: 'asha', gracePeriod: 1, reductionFactor: 3 } as const;
    expect(prunerCheck(asha, 0, 1)).toEqual({ kind: 'asha', rung: 0, rungStep: 1 });
    expect(prunerCheck(asha, 1, 2)).toEqual({ kind: 'none' });
    expect(prunerCheck(asha, 2, 10)).toEqual({ kind: 'asha', rung: 2, rungStep: 9 }); // skipped steps: the highest rung crossed
    expect(prunerCheck(asha, 3, 3)).toEqual({ kind: 'none' }); // a repeated report
    expect(prunerCheck(undefined, 0, 5)).toEqual({ kind: 'none' });
    expect(prunerCheck({ type: 'none' }, 0, 5)).toEqual({ kind: 'none' });
  });
});
