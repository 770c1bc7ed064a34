import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrial } from './run-trial.js';
import { useTestBackend } from './testing/use-test-backend.js';

useTestBackend();

const params = { trainSize: 128, validationSize: 64, batchSize: 32, seed: 4 };
type Reported = [number, Record<string, number>][];

async function run(checkpointDir: string, epochs: number, resumeAfterStep?: number | null): Promise<Reported> {
  const reported: Reported = [];
  await runTrial({
    template: 'mnist-cnn', params: { ...params, epochs }, checkpointDir, onEpoch: (s, m) => void reported.push([s, m]),
    ...(resumeAfterStep === undefined ? {} : { resumeAfterStep }),
  });
  return reported;
}

describe('runTrial resuming from a checkpoint', () => {
  it('reports again every checkpointed epoch after resumeAfterStep, with the metrics first reported, then trains on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ablate-resume-'));
    // A worker trained 3 epochs, but the scheduler stored only epoch 1 (2 and 3 were buffered on it when it died).
    const first = await run(dir, 3);
    expect(first.map(([s]) => s)).toEqual([1, 2, 3]);
    const resumed = await run(dir, 4, 1);
    expect(resumed.map(([s]) => s)).toEqual([2, 3, 4]);
    expect(resumed.slice(0, 2)).toEqual(first.slice(1));
  });

  it('reports the whole checkpoint when nothing was stored (null) and nothing again when all of it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ablate-resume-'));
    const first = await run(dir, 2);
    const resumed = await run(dir, 3, null);
    expect(resumed.map(([s]) => s)).toEqual([1, 2, 3]);
    expect(resumed.slice(0, 2)).toEqual(first);
    expect((await run(dir, 4, 3)).map(([s]) => s)).toEqual([4]);
  });
});
