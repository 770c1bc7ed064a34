/** Most leases one statement hands out: one per waiting worker, up to this many. */
export const MAX_LEASE_BATCH = 32;

interface Waiting<A, R> {
  ask: A;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Runs this scheduler's leases in turn, and the leases that arrived meanwhile together. Every lease
 * locks the oldest live sweep's row, so concurrent leases wait for each other in PostgreSQL anyway,
 * and there each waiter holds a pooled connection: when 50 trials of one sweep finished within the
 * same 100 ms, the 50 leases that followed took every connection and the epoch reports of all
 * other trials queued behind them. Waiting here costs nothing (bench:load, one sweep: p99 161 →
 * 81 ms). Status-changing reports were tried in such a lane too and got slower: in PostgreSQL's
 * lock queue the next waiter runs the moment the lock is free, here it first needs a round trip.
 *
 * Taking the leases one at a time made the lane the bottleneck once workers lease often: 16
 * workers running zero-work trials waited ~150 ms per lease while each lease took its turn at the
 * sweep row (bench:scheduler, figure 2). So the asks that queued while a statement ran go in the
 * next one (`runBatch` gets them in arrival order, those `sameBatch` as the first, at most
 * `MAX_LEASE_BATCH`), which locks the sweep row once for all of them.
 *
 * A status-changing report's write goes through such a lane too, one per sweep (`KeyedLanes`): the
 * writes that queued while one ran are written together, locking the sweep row once. (One at a time
 * it was slower than PostgreSQL's own lock queue, which runs the next waiter without a round trip;
 * together, one lock and one commit serve all that waited.)
 */
export class LeaseLane<A, R> {
  private readonly waiting: Waiting<A, R>[] = [];
  private running = false;

  constructor(
    private readonly runBatch: (asks: A[]) => Promise<R[]>,
    private readonly sameBatch: (first: A, other: A) => boolean = () => true,
    private readonly maxBatch = MAX_LEASE_BATCH,
  ) {}

  /** Nothing waiting and no statement running. */
  get idle(): boolean {
    return !this.running && this.waiting.length === 0;
  }

  run(ask: A): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ ask, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.takeBatch();
        try {
          const results = await this.runBatch(batch.map((w) => w.ask));
          batch.forEach((w, i) => w.resolve(results[i]!));
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The first waiting ask and those that may share its statement, removed from the queue in order. */
  private takeBatch(): Waiting<A, R>[] {
    const first = this.waiting[0]!.ask;
    const batch: Waiting<A, R>[] = [];
    for (let i = 0; i < this.waiting.length && batch.length < this.maxBatch;) {
      if (this.sameBatch(first, this.waiting[i]!.ask)) batch.push(...this.waiting.splice(i, 1));
      else i++;
    }
    return batch;
  }
}

/**
 * One lane per key (a sweep id), made on first use and dropped when it runs dry: batches of
 * different keys never wait for each other.
 */
export class KeyedLanes<A, R> {
  private readonly lanes = new Map<string, LeaseLane<A, R>>();

  constructor(
    private readonly runBatch: (key: string, asks: A[]) => Promise<R[]>,
    private readonly maxBatch = MAX_LEASE_BATCH,
  ) {}

  async run(key: string, ask: A): Promise<R> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new LeaseLane<A, R>((asks) => this.runBatch(key, asks), undefined, this.maxBatch);
      this.lanes.set(key, lane);
    }
    try {
      return await lane.run(ask);
    } finally {
      if (lane.idle && this.lanes.get(key) === lane) this.lanes.delete(key);
    }
  }

  /** Keys with a lane (for tests: a drained lane is gone). */
  get size(): number {
    return this.lanes.size;
  }
}
