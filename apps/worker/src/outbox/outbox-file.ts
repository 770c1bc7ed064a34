import type { TrialReport } from '@ablate/contracts';
import { readFile } from 'node:fs/promises';

/**
 * The outbox file of one trial: JSON lines, appended only.
 *
 *     {"kind":"identity","trialId":"…","workerId":"…","workerSecret":"…","host":"node-1","pid":4242}
 *     {"kind":"report","seq":1,"report":{"type":"epoch","workerId":"…","step":1,"metrics":{…}}}
 *     {"kind":"done","seq":1}
 *
 * `identity` says which registration the reports after it belong to (a later start sends them with
 * it) and which process writes the file; `done` says every report up to `seq` was accepted or
 * refused. A crash mid-append leaves a torn last line, which a reader skips. The file is removed
 * once nothing in it waits, so in steady operation it holds a report for a few milliseconds.
 */
export type OutboxLine =
  | { kind: 'identity'; trialId: string; workerId: string; workerSecret: string; host: string; pid: number }
  | { kind: 'report'; seq: number; report: TrialReport }
  | { kind: 'done'; seq: number };

/** File name of a trial's outbox, written by the process `pid`. */
export function outboxFileName(trialId: string, pid: number): string {
  return `${trialId}.${pid}.jsonl`;
}

/** What a file still has to send, read back by a later start. */
export interface OutboxContents {
  trialId: string;
  /** Host and pid of the process that wrote it (the last identity line). */
  host: string;
  pid: number;
  /** Reports not yet accepted or refused, oldest first. */
  pending: TrialReport[];
  /** Secrets of the registrations the reports were written under, by worker id. */
  secrets: Map<string, string>;
}

/** Reads an outbox file; null when it has no identity line (torn at its very start) or is gone. */
export async function readOutboxFile(file: string): Promise<OutboxContents | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const reports: { seq: number; report: TrialReport }[] = [];
  const secrets = new Map<string, string>();
  let identity: Extract<OutboxLine, { kind: 'identity' }> | null = null;
  let done = 0;
  for (const raw of text.split('\n')) {
    const line = parseLine(raw);
    if (!line) continue;
    if (line.kind === 'identity') {
      identity = line;
      secrets.set(line.workerId, line.workerSecret);
    } else if (line.kind === 'report') reports.push(line);
    else done = Math.max(done, line.seq);
  }
  if (!identity) return null;
  const pending = reports.filter((r) => r.seq > done).sort((a, b) => a.seq - b.seq).map((r) => r.report);
  return { trialId: identity.trialId, host: identity.host, pid: identity.pid, pending, secrets };
}

function parseLine(raw: string): OutboxLine | null {
  if (!raw.trim()) return null;
  try {
    const value = JSON.parse(raw) as Partial<OutboxLine> | null;
    return value && typeof value === 'object' && typeof value.kind === 'string' ? (value as OutboxLine) : null;
  } catch {
    return null; // the torn tail of an append a crash interrupted
  }
}
