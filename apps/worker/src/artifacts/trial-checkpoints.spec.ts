import { ApiError, ErrorCode } from '@ablate/contracts';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ArtifactStore } from './artifact-store.js';
import { TrialCheckpoints } from './trial-checkpoints.js';

/** A store in memory whose `put` answers when the spec says (or at once), and that records what it got. */
class MemoryStore implements ArtifactStore {
  readonly name = 'memory';
  readonly puts: { step: number; content: string }[] = [];
  stored: { step: number; content: string } | null = null;
  deleted = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Answers for the next puts: 'ok', a transient failure, a refusal, or a promise to wait on first. */
  readonly script: ('ok' | 'away' | 'refused' | Promise<void>)[] = [];

  async put(_trialId: string, localDir: string, step: number): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const content = await readFile(path.join(localDir, 'state'), 'utf8');
      const next = this.script.shift() ?? 'ok';
      if (next instanceof Promise) await next;
      if (next === 'away') throw new TypeError('fetch failed');
      if (next === 'refused') throw new ApiError(ErrorCode.LeaseNotHeld, 'not yours');
      this.puts.push({ step, content });
      this.stored = { step, content };
    } finally {
      this.inFlight -= 1;
    }
  }
  async get(_trialId: string, localDir: string, newerThan: number | null): Promise<number | null> {
    if (!this.stored || (newerThan !== null && this.stored.step <= newerThan)) return null;
    await rm(localDir, { recursive: true, force: true });
    await mkdir(localDir, { recursive: true });
    await writeFile(path.join(localDir, 'state'), this.stored.content);
    return this.stored.step;
  }
  delete(): Promise<void> {
    this.deleted += 1;
    this.stored = null;
    return Promise.resolve();
  }
  isTransient(err: unknown): boolean {
    return err instanceof TypeError;
  }
}

describe('TrialCheckpoints', () => {
  let dir: string;
  let checkpointDir: string;
  let store: MemoryStore;
  let logs: string[];
  const make = () => new TrialCheckpoints({ store, trialId: 't', checkpointDir, log: (l) => logs.push(l), backoff: { initialMs: 1, maxMs: 2 } });
  const save = async (step: number) => {
    await mkdir(checkpointDir, { recursive: true });
    await writeFile(path.join(checkpointDir, 'state'), `epoch ${step}`);
  };
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-ckpt-spec-'));
    checkpointDir = path.join(dir, 'trials', 't');
    store = new MemoryStore();
    logs = [];
  });
  afterEach(async () => rm(dir, { recursive: true, force: true, maxRetries: 5 }));

  it('uploads one checkpoint at a time and skips to the newest when epochs outrun uploads', async () => {
    const c = make();
    let release!: () => void;
    store.script.push(new Promise<void>((resolve) => (release = resolve)));
    await save(1);
    c.saved(1);
    await vi.waitFor(() => expect(store.inFlight).toBe(1)); // the first upload is under way
    for (const step of [2, 3, 4]) {
      await save(step);
      c.saved(step);
    }
    release();
    expect(await c.flush()).toBe(true);
    expect(store.puts.map((p) => p.step)).toEqual([1, 4]);
    expect(store.puts.at(-1)!.content).toBe('epoch 4');
    expect(store.maxInFlight).toBe(1);
    expect(await readFile(`${checkpointDir}.step`, 'utf8')).toBe('4');
  });

  it('with a least period between uploads, stores the first at once, holds the later ones, and the newest goes on flush', async () => {
    const c = new TrialCheckpoints({ store, trialId: 't', checkpointDir, log: (l) => logs.push(l), minPeriodMs: 3_600_000 });
    await save(1);
    c.saved(1);
    await vi.waitFor(() => expect(store.puts.map((p) => p.step)).toEqual([1]));
    for (const step of [2, 3]) {
      await save(step);
      c.saved(step);
    }
    // An hour's period: the upload loop holds them, and nothing more goes until the trial ends.
    await vi.waitFor(() => expect(logs.some((l) => l.startsWith('checkpoint of step') && l.includes('held for 3600 s'))).toBe(true));
    expect(store.puts.map((p) => p.step)).toEqual([1]);
    expect(await c.flush()).toBe(true);
    expect(store.puts.map((p) => p.step)).toEqual([1, 3]);
    expect(store.puts.at(-1)!.content).toBe('epoch 3');
  });

  it('retries while the store is away, and stops for good when it refuses', async () => {
    const c = make();
    store.script.push('away', 'away', 'ok');
    await save(1);
    c.saved(1);
    expect(await c.flush()).toBe(true);
    expect(store.stored?.step).toBe(1);
    expect(logs.filter((l) => l.includes('retrying'))).toHaveLength(1);

    store.script.push('refused');
    await save(2);
    c.saved(2);
    expect(await c.flush()).toBe(false);
    await save(3);
    c.saved(3); // after a refusal (the lease is gone) nothing more is tried
    expect(await c.flush()).toBe(false);
    expect(store.stored?.step).toBe(1);
    expect(logs.some((l) => l.includes('not stored in memory: not yours'))).toBe(true);
  });

  it('restores only a stored checkpoint newer than the local one, and discards on cancel', async () => {
    store.stored = { step: 5, content: 'epoch 5 from node A' };
    await make().restore(); // nothing local: restored
    expect(await readFile(path.join(checkpointDir, 'state'), 'utf8')).toBe('epoch 5 from node A');
    expect(await readFile(`${checkpointDir}.step`, 'utf8')).toBe('5');

    await save(7);
    await writeFile(`${checkpointDir}.step`, '7'); // this node got further than the store has
    await make().restore();
    expect(await readFile(path.join(checkpointDir, 'state'), 'utf8')).toBe('epoch 7');

    const c = make();
    c.saved(8);
    await c.discard();
    expect(store.deleted).toBe(1);
    await vi.waitFor(async () => expect(await readFile(`${checkpointDir}.step`, 'utf8').catch(() => 'gone')).toBe('gone'));
  });

  it('gives up waiting when abandoned (the agent is going away)', async () => {
    const c = make();
    store.script.push(new Promise<void>(() => undefined)); // an upload that never ends
    await save(1);
    c.saved(1);
    const flushed = c.flush();
    c.abandon();
    expect(await flushed).toBe(false);
  });
});
