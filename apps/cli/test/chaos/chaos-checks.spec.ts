import type { RankedTrial, SweepDetail } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { checkChaosRun, type ChaosEvidence, type ChaosExpectations } from './chaos-checks.js';
import type { PointRow, TrialRow } from './chaos-db.js';
import { parseWorkerLog, runsByTrial } from './worker-log.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';
const X: ChaosExpectations = {
  epochs: 2,
  epochMetrics: ['val_acc'],
  metric: { name: 'val_acc', goal: 'maximize' },
};

const line = (id: string, attempt: number, msg: string) =>
  `trial ${id} (mnist-cnn, attempt ${attempt}): ${msg}`;
/** Worker 1 ran A and was killed after epoch 1 of B; worker 2 resumed B and completed it. */
const LOG1 = [
  'worker w1 registered (backend wasm)',
  line(A, 1, 'started with {}'),
  line(A, 1, 'epoch 1/2 val_acc=0.5'),
  line(A, 1, 'epoch 1 val_acc=0.5'),
  line(A, 1, 'epoch 2/2 val_acc=0.7'),
  line(A, 1, 'completed val_acc=0.7'),
  line(B, 1, 'started with {}'),
  line(B, 1, 'epoch 1/2 val_acc=0.6'),
].join('\n');
const LOG2 = [
  line(B, 2, 'started with {}'),
  line(B, 2, 'resumed from checkpoint at epoch 1'),
  line(B, 2, 'epoch 1 val_acc=0.6'),
  line(B, 2, 'epoch 2/2 val_acc=0.9'),
  line(B, 2, 'completed'),
].join('\n');

function evidence(
  over: { log2?: string; attemptB?: number; dropPoint?: boolean; scoreA?: number } = {},
): ChaosEvidence {
  const row = (id: string, index: number, attempt: number): TrialRow => ({
    id,
    index,
    status: 'completed',
    attempt,
    step: 2,
    leaseOwner: null,
    leaseExpiresAt: null,
    error: null,
  });
  const rows = [row(A, 0, 1), row(B, 1, over.attemptB ?? 2)];
  const points: PointRow[] = [
    { trialId: A, name: 'val_acc', step: 1, value: 0.5 },
    { trialId: A, name: 'val_acc', step: 2, value: 0.7 },
    { trialId: B, name: 'val_acc', step: 1, value: 0.6 },
    { trialId: B, name: 'val_acc', step: 2, value: 0.9 },
  ].filter((p) => !(over.dropPoint && p.trialId === B && p.step === 1));
  const trial = (id: string, index: number, score: number, rank: number): RankedTrial => ({
    id,
    index,
    score,
    rank,
    sweepId: 's',
    params: {},
    status: 'completed',
    attempt: 1,
    step: 2,
    metrics: {},
    backend: null,
    error: null,
    statusReason: null,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
  });
  const detail = {
    sweep: { status: 'completed' },
    trials: [trial(B, 1, 0.9, 1), trial(A, 0, over.scoreA ?? 0.7, 2)],
  } as unknown as SweepDetail;
  const apiPoints = new Map([A, B].map((id) => [id, points.filter((p) => p.trialId === id)]));
  const runs = runsByTrial([
    { worker: 'w1', text: LOG1 },
    { worker: 'w2', text: over.log2 ?? LOG2 },
  ]);
  const injections = [
    { kind: 'kill-worker' as const, atMs: 0, recoveredAtMs: 0, description: 'kill w1', charged: [B] },
  ];
  return { detail, rows, points, apiPoints, runs, injections, schedulerLog: `Trial ${B}: lease expired` };
}

describe('chaos checks', () => {
  it('reads runs, resumes and outcomes from a worker log', () => {
    const runs = parseWorkerLog('w1', LOG1);
    expect(runs.map((r) => [r.trialId, r.attempt, r.resumedAt, r.trained, r.outcome])).toEqual([
      [A, 1, null, [1, 2], 'completed'],
      [B, 1, null, [1], 'cut'],
    ]);
    expect(parseWorkerLog('w2', LOG2)[0]).toMatchObject({ resumedAt: 1, trained: [2], outcome: 'completed' });
  });

  it('finds nothing when every trial ran as it should', () => {
    expect(checkChaosRun(evidence(), X)).toEqual([]);
  });

  it('names a retry that no worker kill explains, quoting the scheduler', () => {
    const [finding, ...rest] = checkChaosRun(evidence({ attemptB: 3 }), X);
    expect(rest).toEqual([]);
    expect(finding).toMatch(/^\[retries\] trial #1 .* attempt 3, expected 2 .*lease expired/);
  });

  it('names a run that started over instead of resuming', () => {
    const fresh = LOG2.replace(
      line(B, 2, 'resumed from checkpoint at epoch 1'),
      line(B, 2, 'epoch 1/2 val_acc=0.6'),
    );
    expect(checkChaosRun(evidence({ log2: fresh }), X)).toEqual([
      expect.stringMatching(
        /^\[resume\] trial #1 .*attempt 2 on w2 started fresh after earlier runs trained up to epoch 1/,
      ),
    ]);
  });

  it("accepts a trial handed back by a killed agent's outbox: the next run keeps the attempt and resumes where the cut one stopped", () => {
    // w1 was killed after training both epochs of B, before it completed it; another agent's outbox
    // replay delivered its reports and released B without a retry, and w2 resumed at epoch 2.
    const log1 = `${LOG1}\n${line(B, 1, 'epoch 2/2 val_acc=0.9')}`;
    const handedBack = [line(B, 1, 'started with {}'), line(B, 1, 'resumed from checkpoint at epoch 2'), line(B, 1, 'completed')].join('\n');
    const e = evidence({ log2: handedBack, attemptB: 1 });
    // The worker logs are read in w2, w1 order here: the order of the files must not matter.
    e.runs = runsByTrial([{ worker: 'w2', text: handedBack }, { worker: 'w1', text: log1 }]);
    e.injections = [{ ...e.injections[0]!, charged: [] }];
    expect(e.runs.get(B)!.map((r) => `${r.worker} ${r.outcome}`)).toEqual(['w1 cut', 'w2 completed']);
    expect(checkChaosRun(e, X)).toEqual([]);
    // The same two runs, but the first one completed: B ran twice.
    const twice = runsByTrial([{ worker: 'w2', text: handedBack }, { worker: 'w1', text: `${log1}\n${line(B, 1, 'completed')}` }]);
    expect(checkChaosRun({ ...e, runs: twice }, X)).toContainEqual(expect.stringMatching(/^\[once\] trial #1 .*2 runs logged completing it/));
  });

  it('names a missing point and a score that is not the best stored value', () => {
    const findings = checkChaosRun(evidence({ dropPoint: true, scoreA: 0.75 }), X);
    expect(findings).toContainEqual(
      expect.stringMatching(/^\[points\] trial #1 .*val_acc stored at steps \[2\], expected \[1,2\]/),
    );
    expect(findings).toContainEqual(
      '[leaderboard] trial #0 has score 0.75, but the best stored val_acc is 0.7',
    );
  });
});
