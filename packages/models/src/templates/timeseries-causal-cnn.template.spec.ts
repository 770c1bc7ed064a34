import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runTrial } from '../run-trial.js';
import { useTestBackend } from '../testing/use-test-backend.js';

useTestBackend();

describe('timeseries-causal-cnn', () => {
  it('learns the synthetic series and scores an auto-regressive forecast', async () => {
    const epochs: Record<string, number>[] = [];
    const params = { seriesCount: 60, layers: 2, filters: 8, dilations: '1,2', epochs: 3, batchSize: 16, learningRate: 0.01, forecastSteps: 20 };
    const before = tf.memory().numTensors;
    const result = await runTrial({ template: 'timeseries-causal-cnn', params, onEpoch: (_s, m) => void epochs.push(m) });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(epochs[0]!).sort()).toEqual(['mse', 'val_mse']);
    expect(epochs[2]!['mse']).toBeLessThan(epochs[0]!['mse']!);
    expect(result.metrics['forecast_mse']).toBeGreaterThan(0);
    expect(Number.isFinite(result.metrics['forecast_mse'])).toBe(true);
    // the best epoch's weights are kept (the forecast is measured on them) and its val_mse reported
    expect(result.metrics['val_mse']).toBe(Math.min(...epochs.map((m) => m['val_mse']!)));
    expect(epochs[result.scoreStep! - 1]!['val_mse']).toBe(result.metrics['val_mse']);
  });
});
