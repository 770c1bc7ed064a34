import type { TrialReport } from '@ablate/contracts';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskReportQueue } from './disk-report-queue.js';
import { outboxFileName, readOutboxFile } from './outbox-file.js';
import { OutboxFullError } from './report-queue.js';

const W1 = '00000000-0000-4000-8000-000000000001';
const W2 = '00000000-0000-4000-8000-000000000002';
const epoch = (step: number, workerId = W1): TrialReport => ({ type: 'epoch', workerId, step, metrics: { loss: 1 / step } });

describe('DiskReportQueue', () => {
  let dir: string;
  let identity: { workerId: string; workerSecret: string };
  const file = () => path.join(dir, outboxFileName('trial-1', process.pid));
  const make = (maxBytes?: number) => new DiskReportQueue({ dir, trialId: 'trial-1', identity: () => identity, ...(maxBytes ? { maxBytes } : {}) });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-outbox-spec-'));
    identity = { workerId: W1, workerSecret: 'secret-1' };
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('keeps what waits on disk, in order, and removes the file once nothing waits', async () => {
    const q = make();
    for (const step of [1, 2, 3]) await q.push(epoch(step));
    expect((await readOutboxFile(file()))?.pending.map((r) => ('step' in r ? r.step : r.type))).toEqual([1, 2, 3]);
    q.shift();
    await q.settled();
    const after = await readOutboxFile(file());
    expect(after?.pending.map((r) => ('step' in r ? r.step : r.type))).toEqual([2, 3]);
    expect(after).toMatchObject({ trialId: 'trial-1', pid: process.pid, host: os.hostname() });
    expect(after?.secrets.get(W1)).toBe('secret-1');
    q.shift();
    q.shift();
    await q.settled();
    expect(await readdir(dir)).toEqual([]);
    await q.push(epoch(4)); // a new file, with its identity line again
    expect((await readOutboxFile(file()))?.pending).toHaveLength(1);
  });

  it('keeps the reports of a detached queue for the next start, and drops a cleared one', async () => {
    const kept = make();
    await kept.push(epoch(1));
    await kept.push({ type: 'released', workerId: W1, reason: 'stopping' });
    kept.detach();
    await kept.settled();
    expect((await readOutboxFile(file()))?.pending.map((r) => r.type)).toEqual(['epoch', 'released']);

    await rm(file());
    const cleared = make();
    await cleared.push(epoch(1));
    cleared.clear();
    await cleared.settled();
    expect(await readdir(dir)).toEqual([]);
  });

  it('skips a torn last line, and names the registration each report was written under', async () => {
    const q = make();
    await q.push(epoch(1));
    identity = { workerId: W2, workerSecret: 'secret-2' }; // registered again meanwhile
    await q.push(epoch(2, W2));
    await appendFile(file(), '{"kind":"report","seq":3,"rep'); // killed mid-append
    const read = await readOutboxFile(file());
    expect(read?.pending.map((r) => r.workerId)).toEqual([W1, W2]);
    expect([...read!.secrets]).toEqual([[W1, 'secret-1'], [W2, 'secret-2']]);
    expect((await readFile(file(), 'utf8')).split('\n').filter((l) => l.includes('"identity"'))).toHaveLength(2);
  });

  it('refuses an epoch report beyond its size with what to do, makes room from what was accepted, and always takes the last report', async () => {
    const q = make(1024);
    let full: unknown = null;
    for (let step = 1; step < 100 && !full; step++) await q.push(epoch(step)).catch((err: unknown) => (full = err));
    expect(full).toBeInstanceOf(OutboxFullError);
    expect((full as Error).message).toContain('ABLATE_OUTBOX_MAX_BYTES=1024');
    const waiting = q.length;
    await q.push({ type: 'failed', workerId: W1, error: 'outbox full', retryable: true });
    expect(q.length).toBe(waiting + 1);

    for (let i = 0; i < waiting; i++) q.shift(); // the scheduler took them: their bytes no longer count
    await q.push(epoch(200));
    const read = await readOutboxFile(file());
    expect(read?.pending.map((r) => r.type)).toEqual(['failed', 'epoch']);
  });
});
