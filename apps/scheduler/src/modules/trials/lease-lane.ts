/**
 * Runs this scheduler's leases one at a time, in arrival order. Every lease locks the oldest live
 * sweep's row, so concurrent leases wait for each other in PostgreSQL anyway, and there each
 * waiter holds a pooled connection: when 50 trials of one sweep finished within the same 100 ms,
 * the 50 leases that followed took every connection and the epoch reports of all other trials
 * queued behind them. Waiting here costs nothing (bench:load, one sweep: p99 161 → 81 ms).
 * Status-changing reports were tried in such a lane too and got slower: in PostgreSQL's lock
 * queue the next waiter runs the moment the lock is free, here it first needs a round trip.
 */
export class LeaseLane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
