import type { SweepEvent } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { currentBudget, describeEvent } from './describe-event';

const event = (id: number, action: SweepEvent['action'], detail: Record<string, unknown> = {}, trialId: string | null = null): SweepEvent => ({
  id, sweepId: 's', trialId, action, actor: 'dashboard', detail, at: '2026-11-30T10:00:00.000Z',
});

describe('sweep events', () => {
  it('says what happened, with the details that matter', () => {
    expect(describeEvent(event(1, 'paused'))).toBe('paused the sweep');
    expect(describeEvent(event(2, 'max_trials_raised', { maxTrials: { from: 20, to: 40 } }))).toBe('raised max trials from 20 to 40');
    expect(describeEvent(event(3, 'trial_cancelled', { index: 3 }, 'abcdef12-0000'))).toBe('cancelled trial #3');
    expect(describeEvent(event(4, 'trial_cancelled', {}, 'abcdef12-0000'))).toBe('cancelled trial abcdef12');
    expect(describeEvent(event(5, 'failed', { reason: '4 trials failed, more than maxFailures (3)' }))).toBe('failed: 4 trials failed, more than maxFailures (3)');
  });

  it('takes the budget from the last raise, else the spec, else the trials', () => {
    const raised = [event(1, 'created'), event(2, 'max_trials_raised', { maxTrials: { from: 20, to: 40 } }), event(3, 'max_trials_raised', { maxTrials: { from: 40, to: 60 } })];
    expect(currentBudget(raised, 20, 20)).toBe(60);
    expect(currentBudget([event(1, 'created')], 20, 12)).toBe(20);
    expect(currentBudget([], undefined, 12)).toBe(12);
  });
});
