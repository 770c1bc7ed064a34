import type { MetricPoint } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { createPointsFollower, highestStep, mergeMetricPoints } from './metric-points';

const point = (step: number, name: string, value = step / 10): MetricPoint => ({ step, name, value });
const keys = (points: readonly MetricPoint[]) => points.map((p) => `${p.step}:${p.name}`);

describe('mergeMetricPoints', () => {
  const shown = [point(1, 'loss'), point(1, 'val_acc'), point(2, 'loss'), point(2, 'val_acc')];

  it("appends an afterStep answer after the points shown, keeping the shown ones as they are", () => {
    const merged = mergeMetricPoints(shown, [point(3, 'loss'), point(3, 'val_acc')]);
    expect(keys(merged)).toEqual(['1:loss', '1:val_acc', '2:loss', '2:val_acc', '3:loss', '3:val_acc']);
    expect(merged.slice(0, 4)).toEqual(shown);
    expect(keys(shown)).toHaveLength(4);
  });

  it('keeps each (name, step) once when a full fetch overlaps what is shown, sorted by step then name', () => {
    const full = [point(2, 'val_acc'), point(1, 'loss'), point(3, 'val_acc'), point(2, 'loss'), point(1, 'val_acc'), point(3, 'loss')];
    expect(keys(mergeMetricPoints(shown, full))).toEqual(['1:loss', '1:val_acc', '2:loss', '2:val_acc', '3:loss', '3:val_acc']);
  });

  it('adds a metric reported at a step already shown (test_acc with the completion) in its place', () => {
    const merged = mergeMetricPoints(shown, [point(2, 'test_acc', 0.7)]);
    expect(keys(merged)).toEqual(['1:loss', '1:val_acc', '2:loss', '2:test_acc', '2:val_acc']);
  });

  it('drops duplicates inside one answer and sorts an unsorted one', () => {
    expect(keys(mergeMetricPoints([], [point(2, 'b'), point(1, 'a'), point(2, 'b'), point(2, 'a')]))).toEqual(['1:a', '2:a', '2:b']);
  });

  it('returns what is shown for an empty answer', () => {
    expect(mergeMetricPoints(shown, [])).toBe(shown);
  });

  it('reads the highest step from the last point, none when nothing is shown', () => {
    expect(highestStep(shown)).toBe(2);
    expect(highestStep([])).toBeUndefined();
  });
});

/** A fetch the test answers by hand, so the order of answers is the test's choice, not the clock's. */
function controlledFetch() {
  const calls: { afterStep: number | undefined; answer(points: MetricPoint[]): Promise<void>; fail(): Promise<void> }[] = [];
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  return {
    calls,
    fetch: (afterStep: number | undefined) =>
      new Promise<readonly MetricPoint[]>((resolve, reject) => {
        calls.push({
          afterStep,
          answer: async (points) => {
            resolve(points);
            await settle();
          },
          fail: async () => {
            reject(new Error('scheduler away'));
            await settle();
          },
        });
      }),
  };
}

describe('createPointsFollower', () => {
  function follow(initial: MetricPoint[]) {
    const remote = controlledFetch();
    let points = initial;
    const follower = createPointsFollower({ fetch: remote.fetch, shown: () => points, show: (next) => (points = next) });
    return { remote, follower, points: () => points };
  }
  const later = (step: number) => ({ kind: 'later' as const, step });

  it('asks afterStep = the highest step shown and appends the answer', async () => {
    const { remote, follower, points } = follow([point(1, 'loss')]);
    follower.request(later(2));
    expect(remote.calls.map((c) => c.afterStep)).toEqual([1]);
    await remote.calls[0]!.answer([point(2, 'loss')]);
    follower.request(later(3));
    expect(remote.calls.map((c) => c.afterStep)).toEqual([1, 2]);
    await remote.calls[1]!.answer([point(3, 'loss')]);
    expect(keys(points())).toEqual(['1:loss', '2:loss', '3:loss']);
  });

  it('keeps one request in flight: a burst of steps is one more request, from the step the first one brought', async () => {
    const { remote, follower, points } = follow([point(1, 'loss')]);
    follower.request(later(2));
    follower.request(later(3));
    follower.request(later(4));
    expect(remote.calls).toHaveLength(1);
    await remote.calls[0]!.answer([point(2, 'loss')]);
    expect(remote.calls.map((c) => c.afterStep)).toEqual([1, 2]);
    await remote.calls[1]!.answer([point(3, 'loss'), point(4, 'loss')]);
    expect(remote.calls).toHaveLength(2);
    expect(keys(points())).toEqual(['1:loss', '2:loss', '3:loss', '4:loss']);
  });

  it('asks nothing for a step already shown: one the answer in flight brought, or a late push', async () => {
    const { remote, follower, points } = follow([point(1, 'loss')]);
    follower.request(later(2));
    follower.request(later(3));
    await remote.calls[0]!.answer([point(2, 'loss'), point(3, 'loss')]);
    follower.request(later(2));
    follower.request(later(3));
    expect(remote.calls).toHaveLength(1);
    expect(keys(points())).toEqual(['1:loss', '2:loss', '3:loss']);
  });

  it("asks for every point ('all' wins over a queued 'later') and loses nothing when a fetch fails", async () => {
    const { remote, follower, points } = follow([point(1, 'loss')]);
    follower.request(later(2));
    follower.request(later(3));
    follower.request({ kind: 'all' });
    await remote.calls[0]!.fail();
    expect(remote.calls.map((c) => c.afterStep)).toEqual([1, undefined]);
    await remote.calls[1]!.answer([point(1, 'loss'), point(2, 'loss'), point(2, 'test_acc')]);
    expect(keys(points())).toEqual(['1:loss', '2:loss', '2:test_acc']);
  });

  it('asks for every point when nothing is shown yet', () => {
    const { remote, follower } = follow([]);
    follower.request(later(1));
    expect(remote.calls.map((c) => c.afterStep)).toEqual([undefined]);
  });

  it('shows nothing and asks nothing more once stopped (the page left)', async () => {
    const { remote, follower, points } = follow([point(1, 'loss')]);
    follower.request(later(2));
    follower.request(later(3));
    follower.stop();
    await remote.calls[0]!.answer([point(2, 'loss')]);
    follower.request(later(4));
    expect(remote.calls).toHaveLength(1);
    expect(keys(points())).toEqual(['1:loss']);
  });
});
