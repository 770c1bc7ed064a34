import { afterAll, describe, expect, it, vi } from 'vitest';
import { runTrial } from '../run-trial.js';
import { forestAccuracy } from './random-forest.js';
import { SHARED_DATASETS } from '../testing/shared-datasets.js';

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('random forest', () => {
  it('separates a simple two-feature problem', () => {
    const make = (n: number, offset: number) => {
      const data = new Float32Array(n * 2);
      const labels = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const a = ((i * 37 + offset) % 100) / 100;
        const b = ((i * 61 + offset) % 100) / 100;
        data.set([a, b], i * 2);
        labels[i] = a + b > 1 ? 1 : 0;
      }
      return { data, labels };
    };
    expect(forestAccuracy({ trees: 20, maxFeatures: 1, maxDepth: 12, seed: 1 }, 2, make(400, 0), make(200, 13))).toBeGreaterThan(0.9);
  });

  it('runs the pixel baseline on CIFAR-10, seeded', async () => {
    vi.stubEnv('ABLATE_TF_BACKEND', process.env['ABLATE_TF_BACKEND'] ?? 'wasm');
    const params = { trainSize: 500, testSize: 200, trees: 10 };
    const steps: number[] = [];
    const a = await runTrial({ template: 'random-forest', params, dataDir: SHARED_DATASETS, onEpoch: (s) => void steps.push(s) });
    expect(steps).toEqual([1]);
    expect(a.metrics['test_acc']).toBeGreaterThan(0.12);
    const b = await runTrial({ template: 'random-forest', params, dataDir: SHARED_DATASETS });
    expect(b.metrics).toEqual(a.metrics);
  });
});
