import { ApiClient, ApiError, ErrorCode, isTransientError, type TrialReport } from '@ablate/contracts';
import { readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Backoff, pause, type BackoffOptions } from '../backoff.js';
import { describe } from '../scheduler-connection.js';
import { readOutboxFile, type OutboxContents } from './outbox-file.js';

export interface OutboxReplayOptions {
  /** The agent's outbox folder. */
  dir: string;
  apiUrl: string;
  token: string;
  log: (line: string) => void;
  /** Aborted when the agent stops: what is not sent yet stays for the next start. */
  signal: AbortSignal;
  backoff?: BackoffOptions | undefined;
  /** fetch implementation (default the global one). */
  fetch?: typeof fetch | undefined;
}

/** Refusals after which none of a file's reports can be taken any more: the lease or the registration is gone. */
const HOPELESS: string[] = [ErrorCode.LeaseNotHeld, ErrorCode.TrialFinished, ErrorCode.WorkerNotFound, ErrorCode.Unauthorized, ErrorCode.Forbidden];

/**
 * At start, sends what earlier runs of an agent on this node left in the outbox folder (killed, or
 * stopped while the scheduler was away), each file's reports in order, under the registration they
 * were written with, retried while the scheduler is away. A file whose last report was an epoch
 * ends with `released`: the process that ran the trial is gone, so the trial goes back to the
 * queue at once instead of when its lease runs out. Files of agents still running here (several
 * agents may share the folder) are left alone; a file is claimed by renaming it, so two agents
 * starting together never send one twice. Returns how many files it settled.
 */
export async function replayOutboxes(o: OutboxReplayOptions): Promise<number> {
  await reclaimAbandonedReplays(o.dir);
  const names = await readdir(o.dir).catch(() => [] as string[]);
  let settled = 0;
  for (const name of names.filter((n) => n.endsWith('.jsonl')).sort()) {
    if (o.signal.aborted) break;
    const file = path.join(o.dir, name);
    const contents = await readOutboxFile(file);
    const writer = contents?.pid ?? Number(/\.(\d+)\.jsonl$/.exec(name)?.[1]);
    if (writer === process.pid || (contents && contents.host !== os.hostname()) || isAlive(writer)) continue;
    const claimed = `${file}.replaying-${process.pid}`;
    if (!(await rename(file, claimed).then(() => true, () => false))) continue; // another agent took it
    if (contents && !(await replayFile(contents, o))) {
      await rename(claimed, file).catch(() => undefined); // stopped before it was done: the next start goes on
      break;
    }
    await rm(claimed, { force: true });
    settled += 1;
  }
  return settled;
}

/** Sends one file's reports; false when the agent stopped before they were all settled. */
async function replayFile(c: OutboxContents, o: OutboxReplayOptions): Promise<boolean> {
  const pending: TrialReport[] = [...c.pending];
  const last = pending.at(-1);
  if (last?.type === 'epoch') {
    pending.push({ type: 'released', workerId: last.workerId, reason: 'The worker that ran it restarted before the trial ended; the trial went back to the queue.' });
  }
  let delivered = 0;
  for (const report of pending) {
    const secret = c.secrets.get(report.workerId);
    const answer = secret ? await send(c.trialId, report, secret, o) : new ApiError(ErrorCode.Unauthorized, `no secret of worker ${report.workerId} in the outbox`);
    if (answer === 'stopped') return false;
    if (answer === 'accepted') {
      delivered += 1;
      continue;
    }
    if (HOPELESS.includes(answer.code)) {
      o.log(`outbox: trial ${c.trialId}: ${delivered} of ${pending.length} report(s) left by process ${c.pid} delivered; the rest dropped (${answer.message})`);
      return true;
    }
    // This report itself is wrong (400): it is skipped, the next ones may still be taken.
  }
  o.log(`outbox: trial ${c.trialId}: ${delivered} of ${pending.length} report(s) left by process ${c.pid} delivered`);
  return true;
}

async function send(trialId: string, report: TrialReport, workerSecret: string, o: OutboxReplayOptions): Promise<'accepted' | 'stopped' | ApiError> {
  const base = o.fetch ?? fetch;
  const api = new ApiClient({
    baseUrl: o.apiUrl,
    token: o.token,
    worker: { workerId: report.workerId, workerSecret },
    fetch: (input, init) => base(input, { ...init, signal: AbortSignal.timeout(30_000) }),
  });
  const backoff = new Backoff(o.backoff);
  for (;;) {
    try {
      await api.report(trialId, report);
      return 'accepted';
    } catch (err) {
      if (!isTransientError(err)) return err instanceof ApiError ? err : new ApiError(ErrorCode.Internal, describe(err));
      if (o.signal.aborted) return 'stopped';
      await pause(backoff.next(), o.signal);
      if (o.signal.aborted) return 'stopped';
    }
  }
}

/** A replay whose agent died midway (`<file>.replaying-<pid>`) is taken up again. */
async function reclaimAbandonedReplays(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = /^(.*\.jsonl)\.replaying-(\d+)$/.exec(name);
    if (match && !isAlive(Number(match[2]))) await rename(path.join(dir, name), path.join(dir, match[1]!)).catch(() => undefined);
  }
}

/** True while a process with this pid runs (EPERM: it runs, as another user). */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
