import { describe, expect, it } from 'vitest';
import type { TrialHold } from './artifacts.repository.js';
import { checkpointAccess, isCheckpointExpired, mayRemoveCheckpoint } from './checkpoint-rules.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const hold = (status: TrialHold['status'], leaseOwner: string | null = null, finishedAt: Date | null = null): TrialHold => ({ id: 't', status, leaseOwner, finishedAt });
const DAY = 86_400_000;

describe('checkpoint access', () => {
  it('lets only the lease holder read and write, and nobody once the trial is over', () => {
    expect(checkpointAccess(hold('running', A), A)).toBeNull();
    expect(checkpointAccess(hold('leased', A), A)).toBeNull();
    expect(checkpointAccess(hold('running', A), B)).toBe('not_held');
    expect(checkpointAccess(hold('queued'), A)).toBe('not_held');
    expect(checkpointAccess(hold('paused'), A)).toBe('not_held');
    for (const status of ['completed', 'failed', 'cancelled', 'pruned'] as const) expect(checkpointAccess(hold(status), A)).toBe('finished');
    expect(checkpointAccess(null, A)).toBe('not_found');
  });

  it('lets any worker remove the checkpoint of a trial that never runs again, but not of one another holds', () => {
    expect(mayRemoveCheckpoint(hold('running', A), A)).toBe(true);
    expect(mayRemoveCheckpoint(hold('running', A), B)).toBe(false);
    expect(mayRemoveCheckpoint(hold('pruned'), B)).toBe(true);
    expect(mayRemoveCheckpoint(hold('paused'), B)).toBe(false);
    expect(mayRemoveCheckpoint(hold('completed'), A)).toBe(false);
  });
});

describe('checkpoint retention', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it('keeps what may resume, drops what never runs again, and keeps a completed model for the days asked', () => {
    for (const status of ['queued', 'leased', 'running', 'paused'] as const) expect(isCheckpointExpired(hold(status), now, 14)).toBe(false);
    for (const status of ['failed', 'cancelled', 'pruned'] as const) expect(isCheckpointExpired(hold(status), now, 14)).toBe(true);
    expect(isCheckpointExpired(null, now, 14)).toBe(true);
    expect(isCheckpointExpired(hold('completed', null, new Date(now.getTime() - 13 * DAY)), now, 14)).toBe(false);
    expect(isCheckpointExpired(hold('completed', null, new Date(now.getTime() - 14 * DAY)), now, 14)).toBe(true);
    expect(isCheckpointExpired(hold('completed', null, now), now, 0)).toBe(true);
  });
});
