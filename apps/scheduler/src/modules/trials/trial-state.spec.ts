import { describe, expect, it } from 'vitest';
import { applyReport, checkReportAllowed } from './trial-state.js';
import type { TrialRow } from './trial-rows.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T00:01:00Z');
const metric = { name: 'val_acc', goal: 'maximize' as const };
const ctx = { now, leaseExpiresAt: later, maxRetries: 1 };

function leased(over: Partial<TrialRow> = {}): TrialRow {
  return Object.assign(
    {
      id: 't',
      sweepId: 's',
      index: 0,
      params: {},
      status: 'leased',
      attempt: 1,
      leaseOwner: 'w',
      leaseExpiresAt: now,
      step: null,
      metrics: {},
      score: null,
      backend: null,
      error: null,
      statusReason: null,
      configurationKey: '[]',
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      updatedAt: now,
      revision: 0,
    },
    over,
  );
}

describe('applyReport', () => {
  it('keeps the best score and only moves metrics forward in step', () => {
    const t = leased();
    applyReport(t, { type: 'epoch', workerId: 'w', step: 2, metrics: { val_acc: 0.8 } }, metric, ctx);
    applyReport(t, { type: 'epoch', workerId: 'w', step: 1, metrics: { val_acc: 0.1 } }, metric, ctx);
    applyReport(t, { type: 'epoch', workerId: 'w', step: 3, metrics: { val_acc: 0.7 } }, metric, ctx);
    expect(t).toMatchObject({
      status: 'running',
      step: 3,
      metrics: { val_acc: 0.7 },
      score: 0.8,
      leaseExpiresAt: later,
    });
  });

  it('requeues a retryable failure until the retries are used up', () => {
    const t = leased();
    applyReport(t, { type: 'failed', workerId: 'w', error: 'oom', retryable: true }, metric, ctx);
    expect(t).toMatchObject({ status: 'queued', attempt: 2, leaseOwner: null, error: 'oom' });
    t.status = 'running';
    applyReport(t, { type: 'failed', workerId: 'w', error: 'oom again', retryable: true }, metric, ctx);
    expect(t).toMatchObject({ status: 'failed', attempt: 2, finishedAt: now });
  });

  it('fails a non-retryable failure at once', () => {
    const t = leased();
    applyReport(
      t,
      { type: 'failed', workerId: 'w', error: 'dataset missing', retryable: false },
      metric,
      ctx,
    );
    expect(t.status).toBe('failed');
  });

  it('puts a released trial back in the queue without using up a retry', () => {
    const t = leased({ status: 'running', step: 2 });
    applyReport(t, { type: 'released', workerId: 'w', reason: 'shutting down' }, metric, ctx);
    expect(t).toMatchObject({ status: 'queued', attempt: 1, step: 2, leaseOwner: null });
  });
});

describe('checkReportAllowed', () => {
  it('accepts the lease holder only, and nothing once finished', () => {
    expect(checkReportAllowed(leased(), 'w')).toBeNull();
    expect(checkReportAllowed(leased(), 'other')).toBe('not_held');
    expect(checkReportAllowed(leased({ status: 'completed' }), 'w')).toBe('finished');
    expect(checkReportAllowed(leased({ status: 'cancelled' }), 'w')).toBe('cancelled');
  });
});
