import type { SweepEvent, TrialStopOrder, TrialStatus } from '@ablate/contracts';
import type { TrialRow } from '../trials/trial-rows.js';
import type { SweepHead } from './sweep-rows.js';

/** A trial that must stop on the worker that holds it. */
export interface StopOrder {
  /** The worker that held the trial when it was cancelled, pruned or paused. */
  workerId: string;
  /** What to tell it. */
  order: TrialStopOrder;
}

/** Statuses in which a worker holds a trial. */
const HELD: readonly TrialStatus[] = ['leased', 'running'];

/**
 * What one write changed: trials, sweep heads, recorded events and stop orders. Every write path
 * (create, lease, report, expiry, steering, import) returns one and hands it to the
 * `ChangePublisher`, the only code that pushes, so a change is pushed once, after its commit, and
 * pushes never count or re-read anything.
 */
export class Changes {
  readonly trials = new Map<string, TrialRow>();
  readonly sweeps = new Map<string, SweepHead>();
  readonly events: SweepEvent[] = [];
  readonly stops: StopOrder[] = [];

  trial(t: TrialRow): this {
    this.trials.set(t.id, t);
    return this;
  }

  /** The newest head of each sweep wins; heads written later in a transaction replace earlier ones. */
  sweep(head: SweepHead): this {
    this.sweeps.set(head.id, head);
    return this;
  }

  event(e: SweepEvent): this {
    this.events.push(e);
    return this;
  }

  /**
   * A stop order for a trial that left `from` (its worker was `owner`) for a stop status, when a
   * worker held it; `except` is the worker whose report decided it (its answer already says so).
   */
  stopIfHeld(
    trialId: string,
    from: TrialStatus,
    owner: string | null,
    order: Omit<TrialStopOrder, 'trialId'>,
    except?: string,
  ): this {
    if (owner && owner !== except && HELD.includes(from)) this.stops.push({ workerId: owner, order: { trialId, ...order } });
    return this;
  }

  merge(other: Changes): this {
    for (const t of other.trials.values()) this.trial(t);
    for (const h of other.sweeps.values()) this.sweep(h);
    this.events.push(...other.events);
    this.stops.push(...other.stops);
    return this;
  }

  get empty(): boolean {
    return this.trials.size === 0 && this.sweeps.size === 0 && this.events.length === 0 && this.stops.length === 0;
  }
}
