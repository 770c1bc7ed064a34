import type { RankedTrial } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { trialsCsv } from './sweep-export.js';

function trial(
  index: number,
  params: Record<string, unknown>,
  metrics: Record<string, number>,
  statusReason: string | null = null,
): RankedTrial {
  return {
    id: `t${index}`,
    sweepId: 's',
    index,
    params,
    status: 'completed',
    attempt: 1,
    step: 2,
    metrics,
    score: metrics.acc ?? null,
    backend: null,
    error: null,
    statusReason,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
    rank: index + 1,
  };
}

describe('trialsCsv', () => {
  it('quotes commas, quotes and line breaks, defuses formulas in text, and leaves numbers alone', () => {
    const csv = trialsCsv(
      [
        trial(0, { act: 'relu', note: 'a, "b"\nc' }, { acc: -0.5 }, '=HYPERLINK("http://x")'),
        trial(1, { act: '@sum', note: '+1' }, { acc: 0.25, acc2: 1 }),
      ],
      'acc',
    );
    expect(csv.split('\r\n')).toEqual([
      'rank,index,id,status,step,score (acc),act,note,acc,acc2,status reason',
      `1,0,t0,completed,2,-0.5,relu,"a, ""b""\nc",-0.5,,"'=HYPERLINK(""http://x"")"`,
      "2,1,t1,completed,2,0.25,'@sum,'+1,0.25,1,",
      '',
    ]);
  });

  it('keeps a metric named like a param apart from it', () => {
    const header = trialsCsv([trial(0, { lr: 0.1 }, { acc: 1, lr: 0.2 })], 'acc').split('\r\n')[0];
    expect(header).toBe('rank,index,id,status,step,score (acc),lr,acc,metric.lr,status reason');
  });
});
