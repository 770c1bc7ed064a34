import { describe, expect, it } from 'vitest';
import { checkSteering, finishOutcome, needsFollowUp, nextFollowUpStep, type FollowUpProgress } from './sweep-lifecycle.js';
import type { SweepHead } from './sweep-rows.js';

const zero = { queued: 0, leased: 0, running: 0, paused: 0, completed: 0, pruned: 0, failed: 0, cancelled: 0 };

function head(over: Partial<Omit<SweepHead, 'counts'>> & { counts?: Partial<SweepHead['counts']> } = {}): SweepHead {
  const { counts, ...rest } = over;
  return {
    id: 's',
    projectSlug: 'p',
    name: 'n',
    template: 'mnist-cnn',
    metricName: 'val_acc',
    metricGoal: 'maximize',
    maxRetries: 2,
    status: 'running',
    trialCount: 10,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    finishedAt: null,
    reason: null,
    launchedBy: null,
    method: 'grid',
    maxTrials: null,
    trialBudget: 10,
    maxConcurrent: null,
    maxFailures: null,
    pruner: null,
    counts: { ...zero, ...counts },
    ...rest,
  };
}

const fresh: FollowUpProgress = { refilled: false, ashaStalled: false };

describe('nextFollowUpStep', () => {
  it('does nothing while trials are open, and finishes once nothing is left', () => {
    expect(nextFollowUpStep(head({ counts: { running: 1, completed: 9 } }), fresh)).toBe('done');
    expect(nextFollowUpStep(head({ counts: { completed: 9, failed: 1 } }), fresh)).toBe('finish');
    expect(needsFollowUp(head({ status: 'completed', counts: { completed: 10 } }))).toBe(false);
  });

  it('fails a sweep past maxFailures, before anything else', () => {
    expect(nextFollowUpStep(head({ maxFailures: 1, counts: { failed: 2, running: 3 } }), fresh)).toBe('fail');
    expect(nextFollowUpStep(head({ maxFailures: 2, counts: { failed: 2, running: 3 } }), fresh)).toBe('done');
  });

  it('refills TPE after every result, any method once nothing is open, once per follow-up', () => {
    const tpe = head({ method: 'tpe', trialCount: 4, trialBudget: 20, counts: { running: 3, completed: 1 } });
    expect(nextFollowUpStep(tpe, fresh)).toBe('refill');
    expect(nextFollowUpStep(tpe, { ...fresh, refilled: true })).toBe('done');
    expect(nextFollowUpStep(head({ method: 'random', trialCount: 4, trialBudget: 20, counts: { running: 3, completed: 1 } }), fresh)).toBe('done');
    expect(nextFollowUpStep(head({ method: 'random', trialCount: 4, trialBudget: 20, counts: { completed: 4 } }), fresh)).toBe('refill');
    expect(nextFollowUpStep(head({ method: 'random', trialCount: 4, trialBudget: 20, counts: { completed: 4 } }), { ...fresh, refilled: true })).toBe('finish');
  });

  it('settles ASHA when only paused trials are left, and prunes them if settling moved nothing', () => {
    const waiting = head({ counts: { paused: 3, completed: 7 } });
    expect(nextFollowUpStep(waiting, fresh)).toBe('settle_asha');
    expect(nextFollowUpStep(waiting, { ...fresh, ashaStalled: true })).toBe('prune_paused');
  });

  it('a stopping sweep cancels what it will never run and finishes once nothing is leased or running', () => {
    expect(nextFollowUpStep(head({ status: 'stopping', counts: { queued: 2, running: 1 } }), fresh)).toBe('cancel_leftovers');
    expect(nextFollowUpStep(head({ status: 'stopping', counts: { paused: 1, cancelled: 9 } }), fresh)).toBe('cancel_leftovers');
    expect(nextFollowUpStep(head({ status: 'stopping', counts: { running: 1, cancelled: 9 } }), fresh)).toBe('done');
    expect(nextFollowUpStep(head({ status: 'stopping', method: 'tpe', trialBudget: 50, counts: { cancelled: 10 } }), fresh)).toBe('finish');
  });
});

describe('finishOutcome', () => {
  it('completes, keeps a stop\'s reason, and fails a sweep whose every trial failed or that never had one', () => {
    expect(finishOutcome(head({ counts: { completed: 9, failed: 1 } }), null)).toEqual({ status: 'completed', reason: null });
    expect(finishOutcome(head({ status: 'stopping', reason: 'stopped by ada (::1)', counts: { cancelled: 10 } }), null)).toEqual({ status: 'completed', reason: 'stopped by ada (::1)' });
    expect(finishOutcome(head({ counts: { failed: 10 } }), { error: 'OOM', n: 7 })).toEqual({ status: 'failed', reason: 'every trial failed; most common error (7 of 10): OOM' });
    expect(finishOutcome(head({ trialCount: 0 }), null).status).toBe('failed');
  });

  it('fails a sweep with failures and no result, when the rest were cancelled or it was stopped', () => {
    expect(finishOutcome(head({ counts: { failed: 4, cancelled: 6 } }), { error: 'image folder not found', n: 3 })).toEqual({
      status: 'failed',
      reason: 'no trial completed: 4 failed, 6 cancelled; most common error (3 of 4): image folder not found',
    });
    expect(finishOutcome(head({ status: 'stopping', reason: 'stopped by ada (::1)', counts: { failed: 1, cancelled: 9 } }), null)).toEqual({
      status: 'failed',
      reason: 'no trial completed: 1 failed, 9 cancelled (stopped by ada (::1))',
    });
    // One result is enough to call it completed; a stop without failures stays a completed stop.
    expect(finishOutcome(head({ counts: { failed: 8, pruned: 1, cancelled: 1 } }), null).status).toBe('completed');
    expect(finishOutcome(head({ status: 'stopping', reason: 'stopped by ada (::1)', counts: { completed: 1, failed: 2, cancelled: 7 } }), null)).toEqual({ status: 'completed', reason: 'stopped by ada (::1)' });
  });
});

describe('checkSteering', () => {
  it('applies, treats a repeat as a no-op, and refuses on finished and stopping sweeps', () => {
    expect(checkSteering('pause', head())).toEqual({ kind: 'apply' });
    expect(checkSteering('pause', head({ status: 'paused' }))).toEqual({ kind: 'noop' });
    expect(checkSteering('resume', head())).toEqual({ kind: 'noop' });
    expect(checkSteering('stop', head({ status: 'stopping' }))).toEqual({ kind: 'noop' });
    expect(checkSteering('cancel', head({ status: 'stopping' }))).toEqual({ kind: 'apply' });
    for (const action of ['pause', 'resume', 'raise'] as const) expect(checkSteering(action, head({ status: 'stopping' })).kind).toBe('refused');
    for (const action of ['pause', 'resume', 'stop', 'cancel', 'raise', 'cancel_trial'] as const) {
      expect(checkSteering(action, head({ status: 'failed', reason: 'every trial failed' }))).toMatchObject({ kind: 'refused', why: expect.stringContaining('(every trial failed)') as string });
    }
  });
});
