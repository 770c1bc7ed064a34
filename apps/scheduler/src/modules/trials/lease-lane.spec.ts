import { describe, expect, it } from 'vitest';
import { KeyedLanes, LeaseLane, MAX_LEASE_BATCH } from './lease-lane.js';

/** A lane whose statement answers each ask with `ask * 10`, records the batches, and finishes when the test says so. */
function recordingLane(sameBatch?: (a: number, b: number) => boolean) {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const lane = new LeaseLane<number, number>(async (asks) => {
    batches.push(asks);
    await new Promise<void>((resolve) => finish.push(resolve));
    if (asks.includes(-1)) throw new Error('statement failed');
    return asks.map((a) => a * 10);
  }, sameBatch);
  /** Lets every statement started so far finish, until the lane is idle. */
  const settle = async () => {
    for (let i = 0; i < 100 && finish.length > 0; i++) {
      finish.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { lane, batches, settle };
}

describe('LeaseLane', () => {
  it('runs the first ask alone and the asks that arrived meanwhile together, in arrival order', async () => {
    const { lane, batches, settle } = recordingLane();
    const results = [1, 2, 3, 4].map((a) => lane.run(a));
    await settle();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('puts only asks that may share a statement together, keeping the others queued in order', async () => {
    const { lane, batches, settle } = recordingLane((a, b) => a % 2 === b % 2);
    const results = [1, 2, 3, 4, 5, 6].map((a) => lane.run(a));
    await settle();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 4, 6], [3, 5]]);
  });

  it(`hands out at most ${MAX_LEASE_BATCH} leases per statement`, async () => {
    const { lane, batches, settle } = recordingLane();
    const results = Array.from({ length: MAX_LEASE_BATCH + 6 }, (_, i) => lane.run(i));
    await settle();
    expect((await Promise.all(results)).length).toBe(MAX_LEASE_BATCH + 6);
    expect(batches.map((b) => b.length)).toEqual([1, MAX_LEASE_BATCH, 5]);
  });

  it('fails only the asks of a statement that failed, and goes on with the next', async () => {
    const { lane, batches, settle } = recordingLane((a, b) => a < 0 === b < 0);
    const first = lane.run(1);
    const failing = [lane.run(-1), lane.run(-2)].map((f) => f.then(String, (err: Error) => err.message));
    const after = lane.run(3);
    await settle();
    expect(await first).toBe(10);
    expect(await Promise.all(failing)).toEqual(['statement failed', 'statement failed']);
    expect(await after).toBe(30);
    expect(batches).toEqual([[1], [-1, -2], [3]]);
  });
});

describe('KeyedLanes', () => {
  it('batches the asks of one key, never makes one key wait for another, and drops a lane once it ran dry', async () => {
    const batches: string[] = [];
    const finish = new Map<string, (() => void)[]>();
    const lanes = new KeyedLanes<number, number>(async (key, asks) => {
      batches.push(`${key}:${asks.join(',')}`);
      await new Promise<void>((resolve) => (finish.get(key) ?? finish.set(key, []).get(key)!).push(resolve));
      return asks.map((a) => a * 10);
    }, 3);
    const a = [1, 2, 3, 4, 5].map((n) => lanes.run('a', n));
    const b = lanes.run('b', 9);
    await new Promise((r) => setImmediate(r));
    // Sweep a's first statement still runs; b's went at once.
    expect(batches).toEqual(['a:1', 'b:9']);
    expect(lanes.size).toBe(2);
    finish.get('b')!.shift()!();
    expect(await b).toBe(90);
    expect(lanes.size).toBe(1);
    for (let i = 0; i < 10 && finish.get('a')!.length > 0; i++) {
      finish.get('a')!.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(a)).toEqual([10, 20, 30, 40, 50]);
    // At most 3 per statement, in arrival order.
    expect(batches).toEqual(['a:1', 'b:9', 'a:2,3,4', 'a:5']);
    expect(lanes.size).toBe(0);
  });
});
