import type { TrialEvent } from '../trial-process/trial-process.js';

/** A running trial's events: kept until someone subscribes, then handed over in order (`RunningTrial.onEvent`). */
export class TrialEvents {
  private readonly buffered: TrialEvent[] = [];
  private listener: ((event: TrialEvent) => void) | null = null;

  emit(event: TrialEvent): void {
    if (this.listener) this.listener(event);
    else this.buffered.push(event);
  }

  subscribe(listener: (event: TrialEvent) => void): void {
    this.listener = listener;
    for (const event of this.buffered.splice(0)) listener(event);
  }
}
