import type { MetricPoint } from '@ablate/contracts';

/** Step order, then name: the order the scheduler answers in and the curves read in. */
function compareByStepThenName(a: MetricPoint, b: MetricPoint): number {
  return a.step - b.step || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The highest step shown, what a live page asks `afterStep` of; undefined when it has none (then it asks for every point). */
export function highestStep(points: readonly MetricPoint[]): number | undefined {
  return points.at(-1)?.step;
}

/**
 * Adds fetched points to those shown, sorted by step then name, each (name, step) once. A stored
 * point never changes (a repeated or resumed report stores nothing twice), so merging a full
 * fetch is the same as taking it, and an answer that overlaps one still in flight loses nothing.
 * The usual case, a live page's `afterStep` answer, lies wholly after the last step and is
 * appended without sorting what was there.
 */
export function mergeMetricPoints(current: readonly MetricPoint[], incoming: readonly MetricPoint[]): MetricPoint[] {
  if (incoming.length === 0) return current as MetricPoint[];
  const added = [...incoming].sort(compareByStepThenName).filter((p, i, all) => i === 0 || compareByStepThenName(all[i - 1]!, p) !== 0);
  const last = current.at(-1);
  // By step alone: within a step the page may hold the database's collation order, not this one.
  if (!last || last.step < added[0]!.step) return [...current, ...added];
  const byKey = new Map(current.map((p) => [`${p.step}\u0000${p.name}`, p]));
  for (const point of added) byKey.set(`${point.step}\u0000${point.name}`, point);
  return [...byKey.values()].sort(compareByStepThenName);
}

/** What a change calls for: the points up to a pushed step (a new epoch), or every point (a reconnect, a new status). */
export type PointsFetch = { kind: 'later'; step: number } | { kind: 'all' };

export interface PointsFollowerOptions {
  /** Asks the scheduler: `afterStep` undefined means every point. */
  fetch(afterStep: number | undefined): Promise<readonly MetricPoint[]>;
  /** The points shown now. */
  shown(): readonly MetricPoint[];
  /** Shows the merged points. */
  show(points: MetricPoint[]): void;
}

/** The queued fetch once `next` comes too: 'all' covers anything; two 'later' want the higher step. */
function combine(queued: PointsFetch | null, next: PointsFetch): PointsFetch {
  if (!queued) return next;
  if (queued.kind === 'all' || next.kind === 'all') return { kind: 'all' };
  return { kind: 'later', step: Math.max(queued.step, next.step) };
}

/**
 * Fetches a live trial's points with one request in flight at a time: a change that comes during
 * one is remembered (and merged with the next) and fetched when it ends, so a burst of epochs
 * costs two requests, not one each. A 'later' asks `afterStep` = the highest step merged so far,
 * and nothing when the pushed step is already shown (an answer in flight brought it, or a late
 * push). A failed fetch loses nothing: points are only ever added, so the next one asks from the
 * same step.
 */
export function createPointsFollower(options: PointsFollowerOptions): { request(change: PointsFetch): void; stop(): void } {
  let inFlight = false;
  let queued: PointsFetch | null = null;
  let stopped = false;
  const request = (change: PointsFetch): void => {
    if (stopped) return;
    if (inFlight) {
      queued = combine(queued, change);
      return;
    }
    const from = highestStep(options.shown());
    if (change.kind === 'later' && from !== undefined && from >= change.step) return;
    inFlight = true;
    void options
      .fetch(change.kind === 'later' ? from : undefined)
      .then(
        (points) => {
          if (!stopped) options.show(mergeMetricPoints(options.shown(), points));
        },
        () => undefined,
      )
      .finally(() => {
        inFlight = false;
        const next = queued;
        queued = null;
        if (next) request(next);
      });
  };
  return { request, stop: () => void (stopped = true) };
}
