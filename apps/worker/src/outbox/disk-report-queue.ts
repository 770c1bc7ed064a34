import type { TrialReport } from '@ablate/contracts';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { outboxFileName, type OutboxLine } from './outbox-file.js';
import { OutboxFullError, type ReportQueue } from './report-queue.js';

/** Bytes of reports one trial's outbox holds by default (ABLATE_OUTBOX_MAX_BYTES): ~20,000 epoch reports. */
export const DEFAULT_OUTBOX_MAX_BYTES = 4 * 1024 * 1024;

export interface DiskReportQueueOptions {
  /** The agent's outbox folder. */
  dir: string;
  trialId: string;
  /** The registration reports are sent under now (a later start sends them with it). */
  identity: () => { workerId: string; workerSecret: string };
  /** Most bytes the file may hold; an epoch report beyond it is refused with `OutboxFullError`. */
  maxBytes?: number;
  /** Logs a line for the trial (a file that cannot be written). */
  log?: (line: string) => void;
}

interface Entry {
  seq: number;
  report: TrialReport;
}

/**
 * A trial's report queue kept in a file as well as in memory (format: `outbox-file.ts`): every
 * report is appended and fsync'd before `push` resolves, so an agent killed with reports waiting
 * sends them when it starts again (`OutboxReplay`). Removals are appended too (without fsync: a
 * report sent twice changes nothing at the scheduler), and the file goes once nothing waits. File
 * operations run one at a time, in the order they were asked for.
 */
export class DiskReportQueue implements ReportQueue {
  private readonly entries: Entry[] = [];
  private readonly file: string;
  private readonly maxBytes: number;
  private seq = 0;
  private handle: FileHandle | null = null;
  private fileBytes = 0;
  /** Worker id of the identity line the open file has (a new registration writes another). */
  private fileIdentity: string | null = null;
  private ops: Promise<void> = Promise.resolve();
  private detached = false;
  /** The file could not be written (disk full, no permission): reports are kept in memory only from then on. */
  private memoryOnly = false;

  constructor(private readonly o: DiskReportQueueOptions) {
    this.file = path.join(o.dir, outboxFileName(o.trialId, process.pid));
    this.maxBytes = o.maxBytes ?? DEFAULT_OUTBOX_MAX_BYTES;
  }

  get length(): number {
    return this.entries.length;
  }

  peek(): TrialReport | undefined {
    return this.entries[0]?.report;
  }

  push(report: TrialReport): Promise<void> {
    return this.then(async () => {
      if (this.detached) return;
      const seq = ++this.seq;
      const identity = this.identityLine();
      const text = [...(identity ? [identity] : []), { kind: 'report', seq, report } satisfies OutboxLine].map((l) => `${JSON.stringify(l)}\n`).join('');
      const bytes = Buffer.byteLength(text);
      // The last report of a trial (completed, failed, released) always finds room: it is one per trial.
      if (report.type === 'epoch' && !this.memoryOnly && this.fileBytes + bytes > this.maxBytes && (await this.compact(), this.fileBytes + bytes > this.maxBytes)) {
        throw new OutboxFullError(
          `the report outbox of trial ${this.o.trialId} holds ${this.fileBytes} bytes the scheduler has not accepted, its limit (ABLATE_OUTBOX_MAX_BYTES=${this.maxBytes}); the scheduler has been away too long: the trial stops, and its checkpoint keeps the epochs trained`,
        );
      }
      try {
        await this.append(text, true);
        if (identity) this.fileIdentity = identity.workerId;
      } catch (err) {
        this.memoryOnly = true;
        this.o.log?.(`could not write the report outbox ${this.file} (${err instanceof Error ? err.message : String(err)}); its reports are kept in memory only, and a restart of the agent loses them`);
      }
      this.entries.push({ seq, report });
    });
  }

  shift(): void {
    const first = this.entries.shift();
    if (!first) return;
    if (this.entries.length === 0) void this.then(() => this.remove());
    else void this.then(() => this.append(`${JSON.stringify({ kind: 'done', seq: first.seq })}\n`, false));
  }

  clear(): void {
    this.entries.length = 0;
    void this.then(() => this.remove());
  }

  detach(): void {
    this.detached = true;
    this.entries.length = 0;
    void this.then(() => this.close());
  }

  /** Resolves once every file operation asked for so far is done (tests, and an agent that stops). */
  settled(): Promise<void> {
    return this.ops.catch(() => undefined);
  }

  private then(op: () => Promise<void>): Promise<void> {
    const next = this.ops.catch(() => undefined).then(op);
    this.ops = next.catch(() => undefined);
    return next;
  }

  /** The identity line the file needs before the next report: at its start, and after a registration changed. */
  private identityLine(force = false): Extract<OutboxLine, { kind: 'identity' }> | null {
    const { workerId, workerSecret } = this.o.identity();
    if (this.fileIdentity === workerId && !force) return null;
    return { kind: 'identity', trialId: this.o.trialId, workerId, workerSecret, host: os.hostname(), pid: process.pid };
  }

  private async append(text: string, durable: boolean): Promise<void> {
    if (this.memoryOnly) return;
    if (!this.handle) {
      await mkdir(this.o.dir, { recursive: true });
      this.handle = await open(this.file, 'a', 0o600); // it holds the registration's secret
    }
    await this.handle.appendFile(text);
    if (durable) await this.handle.datasync();
    this.fileBytes += Buffer.byteLength(text);
  }

  /** Rewrites the file with only what still waits (what was accepted no longer counts against the limit). */
  private async compact(): Promise<void> {
    await this.close();
    const identity = this.identityLine(true)!;
    const text = [identity, ...this.entries.map((e): OutboxLine => ({ kind: 'report', seq: e.seq, report: e.report }))]
      .map((l) => `${JSON.stringify(l)}\n`)
      .join('');
    const temp = `${this.file}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
    this.fileBytes = Buffer.byteLength(text);
    this.fileIdentity = identity.workerId;
  }

  private async remove(): Promise<void> {
    await this.close();
    await rm(this.file, { force: true });
    this.fileBytes = 0;
    this.fileIdentity = null;
  }

  private async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
