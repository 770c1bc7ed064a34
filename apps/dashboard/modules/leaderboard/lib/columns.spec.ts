import { SweepSpec } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { constantLine, formatScore, leaderboardColumns } from './columns';

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

  it('shows random and TPE spaces (ranges, integers, choices) and conditional params as varying', () => {
    const spec = SweepSpec.parse({
      name: 'tpe',
      template: 'mnist-cnn',
      method: 'tpe',
      maxTrials: 20,
      parameters: {
        learningRate: { loguniform: { min: 1e-4, max: 1e-1 } },
        dropout: { uniform: { min: 0, max: 0.5 } },
        epochs: { int: { min: 1, max: 3 } },
        batchNorm: { categorical: { values: [false, true] } },
        batchSize: { categorical: { values: [64] } },
        trainSize: { value: 512, when: { batchNorm: true } },
      },
      metric: { name: 'val_acc', goal: 'maximize' },
    });
    const columns = leaderboardColumns({ spec, template: 'mnist-cnn', metric: spec.metric }, ['learningRate', 'dropout', 'epochs', 'batchNorm', 'batchSize', 'trainSize', 'seed']);
    expect(columns.varying).toEqual(['learningRate', 'dropout', 'epochs', 'batchNorm', 'trainSize']);
    expect(columns.fixed).toEqual(['batchSize', 'seed']);
  });

  it('with repeats, seed is a column per trial and none per configuration', () => {
    const spec = SweepSpec.parse({ name: 'r', template: 'mnist-cnn', repeats: 3, parameters: { dropout: { values: [0, 0.5] } }, metric: { name: 'val_acc', goal: 'maximize' } });
    const sweep = { spec, template: 'mnist-cnn', metric: spec.metric };
    expect(leaderboardColumns(sweep, ['dropout', 'seed', 'epochs']).varying).toEqual(['dropout', 'seed']);
    const grouped = leaderboardColumns(sweep, ['dropout', 'seed', 'epochs'], true);
    expect(grouped.varying).toEqual(['dropout']);
    expect(grouped.fixed).toEqual(['epochs']);
  });

  it('puts the constant params in one line and says which epoch the score is from', () => {
    expect(constantLine(['epochs', 'learningRate', 'optimizer'], { epochs: 3, learningRate: 0.001, optimizer: 'adam', dropout: 0.3 })).toBe('constant: epochs 3, learningRate 0.001, optimizer adam');
    expect(constantLine([], { epochs: 3 })).toBe('');
    expect(constantLine(['epochs'], undefined)).toBe('');
    expect(formatScore(0.91234, 7)).toBe('0.9123 @ epoch 7');
    expect(formatScore(0.91234, null)).toBe('0.9123');
    expect(formatScore(0.91234, undefined)).toBe('0.9123');
    expect(formatScore(null, null)).toBe('—');
  });
});
