import { SweepSpec } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { leaderboardColumns } from './columns';

describe('leaderboardColumns', () => {
  it('puts the knobs that vary first and the ranking metric first among metrics', () => {
    const spec = SweepSpec.parse({
      name: 'grid',
      template: 'mnist-cnn',
      parameters: { epochs: { value: 2 }, batchNorm: { values: [false, true] }, dropout: { values: [0, 0.5] }, seed: { values: [1, 1] } },
      metric: { name: 'val_loss', goal: 'minimize' },
    });
    const columns = leaderboardColumns({ spec, template: 'mnist-cnn', metric: spec.metric }, ['dropout', 'batchNorm', 'epochs', 'seed']);
    expect(columns.varying).toEqual(['batchNorm', 'dropout']);
    expect(columns.fixed).toEqual(['epochs', 'seed']);
    expect(columns.metrics).toEqual(['val_loss', 'loss', 'acc', 'val_acc']);
  });
});
