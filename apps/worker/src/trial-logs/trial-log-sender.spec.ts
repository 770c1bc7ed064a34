import { ApiError, ErrorCode, type TrialLogBatch } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { TrialLogSender } from './trial-log-sender.js';

/** A stand-in for the scheduler: records batches, or fails them as told. */
function fakeScheduler() {
  const batches: TrialLogBatch[] = [];
  let failWith: Error | null = null;
  return {
    batches,
    fail(err: Error | null) {
      failWith = err;
    },
    send: (batch: TrialLogBatch) => {
      if (failWith) return Promise.reject(failWith);
      batches.push(structuredClone(batch));
      return Promise.resolve();
    },
  };
}

const lines = (b: TrialLogBatch[]) => b.flatMap((x) => x.lines.map((l) => `${l.seq}:${l.stream}:${l.line}`));

describe('TrialLogSender', () => {
  it('numbers lines per attempt, batches them and clips what the scheduler would refuse', async () => {
    const s = fakeScheduler();
    const sender = new TrialLogSender({ attempt: 2, workerId: () => 'w1', send: s.send, intervalMs: 60_000 });
    sender.line('stdout', 'epoch 1');
    sender.line('stderr', `bad\0byte ${'x'.repeat(2000)}`);
    sender.line('agent', 'started');
    await sender.flush();
    expect(s.batches).toHaveLength(1);
    expect(s.batches[0]).toMatchObject({ workerId: 'w1', attempt: 2 });
    const [first, second, third] = s.batches[0]!.lines;
    expect([first?.seq, first?.line, third?.stream]).toEqual([0, 'epoch 1', 'agent']);
    expect(second?.line).toHaveLength(1000);
    expect(second?.line.startsWith('bad?byte x')).toBe(true);
    expect(second?.line.endsWith('…')).toBe(true);
  });

  it('splits large output into batches of at most 200 lines and about 40 kB', async () => {
    const s = fakeScheduler();
    const sender = new TrialLogSender({ attempt: 1, workerId: () => 'w', send: s.send, intervalMs: 60_000, maxBuffered: 10_000 });
    for (let i = 0; i < 450; i++) sender.line('stdout', `line ${i}`);
    for (let i = 0; i < 100; i++) sender.line('stdout', 'y'.repeat(1000));
    await sender.flush();
    expect(s.batches.map((b) => b.lines.length)).toEqual([200, 200, 50 + 39, 40, 21]);
    expect(lines(s.batches).map((l) => Number(l.split(':')[0]))).toEqual(Array.from({ length: 550 }, (_, i) => i));
  });

  it('keeps lines while the scheduler is away, the newest when there are too many, and says how many it dropped', async () => {
    const s = fakeScheduler();
    const sender = new TrialLogSender({ attempt: 1, workerId: () => 'w', send: s.send, intervalMs: 60_000, maxBuffered: 3 });
    s.fail(new TypeError('fetch failed'));
    for (let i = 0; i < 5; i++) sender.line('stdout', `line ${i}`);
    await sender.flush();
    s.fail(null);
    await sender.flush();
    expect(lines(s.batches)).toEqual(['1:agent:… 2 lines dropped here (more output than the log tail takes)', '2:stdout:line 2', '3:stdout:line 3', '4:stdout:line 4']);
  });

  it('stops sending once the scheduler says the trial is no longer this worker’s', async () => {
    const s = fakeScheduler();
    const said: string[] = [];
    const sender = new TrialLogSender({ attempt: 1, workerId: () => 'w', send: s.send, intervalMs: 60_000, log: (l) => said.push(l) });
    s.fail(new ApiError(ErrorCode.LeaseNotHeld, 'Worker w does not hold attempt 1'));
    sender.line('stdout', 'a');
    await sender.flush();
    s.fail(null);
    sender.line('stdout', 'b');
    await sender.close();
    expect(s.batches).toEqual([]);
    expect(said).toEqual(['log lines not stored (Worker w does not hold attempt 1); no more are sent for this attempt']);
  });

  it('close sends what is left and takes nothing more', async () => {
    const s = fakeScheduler();
    const sender = new TrialLogSender({ attempt: 1, workerId: () => 'w', send: s.send, intervalMs: 60_000 });
    sender.line('agent', 'failed: exit 3');
    await sender.close();
    sender.line('stdout', 'late');
    await sender.flush();
    expect(lines(s.batches)).toEqual(['0:agent:failed: exit 3']);
  });

  it('takeTail hands over what fits one batch (for the completion) and takes nothing more; more than a batch, or a drop to report, stays for close', async () => {
    const s = fakeScheduler();
    const small = new TrialLogSender({ attempt: 1, workerId: () => 'w', send: s.send, intervalMs: 60_000 });
    small.line('stdout', 'epoch 1');
    small.line('agent', 'completed');
    expect((await small.takeTail())?.map((e) => `${e.seq}:${e.line}`)).toEqual(['0:epoch 1', '1:completed']);
    small.line('stdout', 'late');
    await small.close();
    expect(s.batches).toEqual([]); // handed over, so never posted

    const large = new TrialLogSender({ attempt: 1, workerId: () => 'w', send: s.send, intervalMs: 60_000, maxBuffered: 10_000 });
    for (let i = 0; i < 201; i++) large.line('stdout', `line ${i}`);
    expect(await large.takeTail()).toBeNull();
    await large.close();
    expect(s.batches.map((b) => b.lines.length)).toEqual([200, 1]); // posted alone, as before

    const dropped = new TrialLogSender({ attempt: 1, workerId: () => 'w', send: s.send, intervalMs: 60_000, maxBuffered: 2 });
    for (let i = 0; i < 3; i++) dropped.line('stdout', `line ${i}`);
    expect(await dropped.takeTail()).toBeNull(); // the note about the dropped line goes with a batch of its own
    await dropped.close();
    expect(lines(s.batches.slice(2))[0]).toMatch(/^0:agent:… 1 lines dropped here/);
  });
});
