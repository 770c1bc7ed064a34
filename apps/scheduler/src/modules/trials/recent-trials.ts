import type { TrialRow } from './trial-rows.js';
import type { ReportRules } from './trial-state.js';

export interface KnownTrial {
  trial: TrialRow;
  rules: ReportRules;
}

/**
 * What this scheduler last wrote for the trials it receives reports on, so that the next report
 * of a running trial skips the read and costs one statement. Safe to be stale: the write checks
 * the revision and a report that finds it changed reads the database again; a refusal decided
 * from here is confirmed from the database before it is answered. Least recently used first out.
 */
export class RecentTrials {
  private readonly entries = new Map<string, KnownTrial>();

  constructor(private readonly limit = 5_000) {}

  get(trialId: string): KnownTrial | undefined {
    const known = this.entries.get(trialId);
    if (known) {
      this.entries.delete(trialId);
      this.entries.set(trialId, known);
    }
    return known;
  }

  remember(known: KnownTrial): void {
    this.entries.delete(known.trial.id);
    this.entries.set(known.trial.id, known);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(trialId: string): void {
    this.entries.delete(trialId);
  }
}
