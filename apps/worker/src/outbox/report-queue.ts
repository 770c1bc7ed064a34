import type { TrialReport } from '@ablate/contracts';

/**
 * A trial's reports that the scheduler has not accepted yet, oldest first. The reporter sends the
 * oldest, and removes it once the scheduler accepted or definitively refused it. In memory by
 * default; `DiskReportQueue` keeps them in a file as well, so an agent that restarts sends them.
 */
export interface ReportQueue {
  /** How many reports wait. */
  readonly length: number;
  /** The oldest report waiting. */
  peek(): TrialReport | undefined;
  /** Appends a report; resolves once it is kept (on disk: written and fsync'd). Rejects with `OutboxFullError` when full. */
  push(report: TrialReport): Promise<void>;
  /** The oldest report was accepted or definitively refused: it goes. */
  shift(): void;
  /** Every waiting report goes (the scheduler ended the trial: none of them will be taken). */
  clear(): void;
  /** The agent is going away: the reports are no longer sent from here, but stay where its next start finds them. */
  detach(): void;
}

/** No room for another report: the scheduler has not taken this trial's reports for too long. */
export class OutboxFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxFullError';
  }
}

/** The queue in memory only: what a process that dies loses (its checkpoint still holds the epochs). */
export class MemoryReportQueue implements ReportQueue {
  private readonly reports: TrialReport[] = [];

  get length(): number {
    return this.reports.length;
  }

  peek(): TrialReport | undefined {
    return this.reports[0];
  }

  push(report: TrialReport): Promise<void> {
    this.reports.push(report);
    return Promise.resolve();
  }

  shift(): void {
    this.reports.shift();
  }

  clear(): void {
    this.reports.length = 0;
  }

  detach(): void {
    this.reports.length = 0;
  }
}
