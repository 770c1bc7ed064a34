import type { TrialEvent } from '../trial-process/trial-process.js';
import { parseStdoutLine } from './metric-line.js';
import { appendJournal, readJournal, type JournalEntry } from './metrics-journal.js';

/** Longest piece of a skipped line quoted in the log. */
const QUOTE_CHARS = 300;

export interface CommandMetricsOptions {
  /** The trial's checkpoint folder (holds the metrics journal). */
  checkpointDir: string;
  /** Last step the scheduler holds (the lease's `resumeAfterStep`), or null for none. */
  resumeAfterStep: number | null;
  /** Where epoch, checkpoint and log events go. */
  emit: (event: TrialEvent) => void;
}

/**
 * Turns a command trial's stdout into events: metric lines become epoch reports, `checkpoint`
 * lines checkpoint events (after journaling the metrics they cover), everything else log lines;
 * what it skips it says in the log (stream `agent`). Steps the scheduler already holds are not
 * reported again, so a resumed trial has one series with no repeated step.
 */
export class CommandMetrics {
  /** Steps at or below this are held already: by the scheduler, or re-reported from the journal. */
  private floor: number;
  private lastStep = -1;
  private latestStep: number | null = null;
  private latest: Record<string, number> = {};
  private finalStep: number | null = null;
  private final: Record<string, number> = {};
  private unjournaled: JournalEntry[] = [];

  constructor(private readonly o: CommandMetricsOptions) {
    this.floor = o.resumeAfterStep ?? 0;
  }

  /** Before the program starts: re-reports the journaled steps after `resumeAfterStep`. */
  async restore(): Promise<void> {
    const entries = await readJournal(this.o.checkpointDir);
    const missing = entries.filter((e) => e.step > this.floor);
    for (const e of entries) this.remember(e.step, e.metrics);
    for (const e of missing) this.o.emit({ type: 'epoch', step: e.step, metrics: e.metrics });
    if (missing.length > 0) this.note(`reported steps ${missing[0]!.step}..${missing.at(-1)!.step} again from the checkpoint folder's metrics journal (the scheduler held steps up to ${this.floor})`);
    this.floor = Math.max(this.floor, ...entries.map((e) => e.step));
  }

  /** One line of the program's stdout. */
  line(text: string): void {
    const parsed = parseStdoutLine(text);
    if (parsed.kind === 'log') return this.o.emit({ type: 'log', stream: 'stdout', line: text });
    if (parsed.kind === 'malformed') return this.note(`skipped a malformed metric line (${parsed.reason}): ${quote(text)}`);
    const { step, final, checkpoint, metrics, refused } = parsed;
    const at = step === undefined ? 'final' : `step ${step}`;
    for (const why of refused) this.note(`${at}: ${why} (not reported)`);
    if (step !== undefined && step < this.lastStep) {
      return this.note(`skipped step ${step}: it comes after step ${this.lastStep}, and steps must not go back: ${quote(text)}`);
    }
    if (step !== undefined) this.lastStep = step;
    if (final) {
      Object.assign(this.final, metrics);
      if (step !== undefined) this.finalStep = step;
    } else if (step !== undefined && Object.keys(metrics).length > 0) {
      this.remember(step, metrics);
      if (step > this.floor) {
        this.unjournaled.push({ step, metrics });
        this.o.emit({ type: 'epoch', step, metrics });
      }
    }
    if (checkpoint !== undefined) this.checkpoint(checkpoint);
  }

  /** The completion of a program that exited 0: the last step's metrics, overlaid with the final line's. */
  result(): { step: number; metrics: Record<string, number> } {
    return { step: this.finalStep ?? this.latestStep ?? 0, metrics: { ...this.latest, ...this.final } };
  }

  /** The folder holds the program's checkpoint of `step`: journal what it covers, then pass it on. */
  private checkpoint(step: number): void {
    const covered = this.unjournaled.filter((e) => e.step <= step);
    try {
      appendJournal(this.o.checkpointDir, covered);
      this.unjournaled = this.unjournaled.filter((e) => e.step > step);
    } catch (err) {
      this.note(`could not write the metrics journal in ${this.o.checkpointDir}: ${(err as Error).message}`);
    }
    this.o.emit({ type: 'checkpoint', step });
  }

  private remember(step: number, metrics: Record<string, number>): void {
    if (this.latestStep === null || step > this.latestStep) this.latest = { ...metrics };
    else if (step === this.latestStep) Object.assign(this.latest, metrics);
    else return;
    this.latestStep = step;
  }

  private note(line: string): void {
    this.o.emit({ type: 'log', stream: 'agent', line });
  }
}

function quote(text: string): string {
  return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS)}…`;
}
