/** Calls a simulated worker makes, timed separately. */
export type CallKind = 'lease' | 'epoch' | 'completed';

/** What the simulated workers of one figure did: calls answered, their round trips, and refusals by error code. */
export class WorkerTally {
  /** Trials leased, by a lease call or by a completion's answer (`nextLease`). */
  leases = 0;
  /** Of `leases`, those a completion's answer brought. */
  leasesByCompletion = 0;
  /** Lease calls answered "nothing queued". */
  emptyLeases = 0;
  /** Reports accepted (2xx). */
  reports = 0;
  /** Log tails accepted alone (one per trial, before its last report, when the scheduler takes no `logs` in a completion). */
  logTails = 0;
  /** Log tails sent inside the trial's completion (`logs`: no call of their own). */
  logTailsInCompletion = 0;
  /** Trials whose `completed` report was accepted. */
  completed = 0;
  /** Simulated work done, ms (the epochs' timers, jitter included). */
  workMs = 0;
  /** Round trips in ms by call, answered or refused. */
  readonly roundTrips: Record<CallKind, number[]> = { lease: [], epoch: [], completed: [] };
  readonly errors = new Map<string, number>();

  refused(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** "none", or e.g. "3 lease_not_held, 1 ECONNRESET". */
  describeErrors(): string {
    return this.errors.size === 0 ? 'none' : [...this.errors].map(([code, n]) => `${n} ${code}`).join(', ');
  }

  /** "lease 2.1, epoch 3.0, completed 4.2" (mean ms per call). */
  describeRoundTrips(): string {
    return Object.entries(this.roundTrips)
      .filter(([, xs]) => xs.length > 0)
      .map(([kind, xs]) => `${kind} ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)}`)
      .join(', ');
  }
}
