import { rankTrials, type Goal, type RankedTrial, type TrialSummary } from '@ablate/contracts';

/**
 * The leaderboard's trials by id: an event is one Map write (O(1)); ranking is a separate,
 * batched step. While a (re)subscription is in flight, events are also kept aside and replayed
 * over the snapshot the ack brings, so an event sent between the server's read and its ack is
 * not lost under an older snapshot.
 */
export class TrialStore {
  private readonly byId = new Map<string, TrialSummary>();
  private replay: TrialSummary[] | null = null;

  constructor(
    private goal: Goal,
    trials: readonly TrialSummary[],
  ) {
    for (const trial of trials) this.byId.set(trial.id, trial);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Records a `trial:updated`. */
  apply(trial: TrialSummary): void {
    this.byId.set(trial.id, trial);
    this.replay?.push(trial);
  }

  /** A subscription request went out; keep events until its snapshot arrives. */
  beginResync(): void {
    this.replay = [];
  }

  /** The snapshot arrived: it replaces everything, then the events since the request apply again. */
  resync(goal: Goal, trials: readonly TrialSummary[]): void {
    this.goal = goal;
    const since = this.replay ?? [];
    this.replay = null;
    this.byId.clear();
    for (const trial of trials) this.byId.set(trial.id, trial);
    for (const trial of since) this.byId.set(trial.id, trial);
  }

  /** The subscription failed; stop keeping events. */
  abandonResync(): void {
    this.replay = null;
  }

  ranked(): RankedTrial[] {
    return rankTrials([...this.byId.values()], this.goal);
  }
}
