import type { LeaseRequest, ReportResponse, TrialReport } from '@ablate/contracts';

/** The agent's `FOLD_WINDOW_MS` (apps/worker/src/trial-reporter.ts): a lone epoch report waits this long for a completion to go with. */
export const SIM_FOLD_WINDOW_MS = 10;

type Completed = Extract<TrialReport, { type: 'completed' }>;

/**
 * One simulated trial's reports, sent as the agent's `TrialReporter` sends them: in order, one at
 * a time; an epoch report that is the only one queued waits up to `SIM_FOLD_WINDOW_MS` for the next
 * report (until the last report once the process has ended), and an epoch report followed by the
 * trial's completion goes inside it (`lastEpoch`); the
 * completion asks for the next trial (`nextLease`) when `askNext()` holds as it leaves. Stops at a
 * refusal or a stop decision. `send` posts one report and returns its answer (null: refused).
 */
export class SimReportQueue {
  private readonly pending: TrialReport[] = [];
  private final: Completed | null = null;
  private queuedMore: (() => void) | null = null;
  private draining: Promise<void> | null = null;
  private processGone = false;
  /** False once a report was refused or answered with a stop. */
  going = true;
  /** The answer to the completion, when it was applied. */
  completion: ReportResponse | null = null;

  constructor(
    private readonly send: (report: TrialReport) => Promise<ReportResponse | null>,
    private readonly askNext: () => LeaseRequest | null,
    /** Whether the scheduler applies `lastEpoch` (its registration's `completionExtras`); an older one: no waiting, no folding. */
    private readonly folds: boolean,
  ) {}

  push(report: TrialReport): void {
    if (report.type === 'completed') this.final = report;
    this.pending.push(report);
    this.queuedMore?.();
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  /** The simulated process has ended: a lone epoch report waits for the last report, as the agent's does. */
  processEnded(): void {
    this.processGone = true;
  }

  /** Resolves once everything queued went out (or the trial had to stop). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && this.going) {
      if (this.folds && this.pending.length === 1 && !this.final && this.pending[0]!.type === 'epoch') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => !this.processGone && this.queuedMore?.(), SIM_FOLD_WINDOW_MS);
          this.queuedMore = () => {
            clearTimeout(timer);
            this.queuedMore = null;
            resolve();
          };
        });
      }
      const report = this.pending[0]!;
      const folded = this.folds && report.type === 'epoch' && this.pending.length === 2 && this.final ? { ...this.final, lastEpoch: { step: report.step, metrics: report.metrics } } : null;
      let body: TrialReport = folded ?? report;
      const ask = body.type === 'completed' ? this.askNext() : null;
      if (body.type === 'completed' && ask) body = { ...body, nextLease: ask };
      const answer = await this.send(body);
      this.pending.splice(0, folded ? 2 : 1);
      if (!answer || answer.cancel) {
        this.going = false;
        return;
      }
      if (body.type === 'completed') this.completion = answer;
    }
  }
}
