import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { planSweep } from '../sweep-spec.schema.js';
import { CommandParams, commandUserParams, paramEnvName, splitCommandLine } from './command.params.js';

function planIssues(spec: Record<string, unknown>): { path: string; message: string }[] {
  try {
    planSweep(spec);
    return [];
  } catch (err) {
    if (err instanceof ApiError) return err.issues ?? [];
    throw err;
  }
}

describe('command line words', () => {
  it('splits like a shell splits words and expands nothing', () => {
    expect(splitCommandLine('python3  train.py --lr 0.1')).toEqual(['python3', 'train.py', '--lr', '0.1']);
    expect(splitCommandLine(`sh -c 'echo $HOME | cat' "a \\"b\\" c" d\\ e ~ *.py`)).toEqual(['sh', '-c', 'echo $HOME | cat', 'a "b" c', 'd e', '~', '*.py']);
    expect(splitCommandLine(`x ''`)).toEqual(['x', '']);
  });

  it('says what is wrong with a line it cannot split', () => {
    expect(splitCommandLine('python3 "train.py')).toMatch(/unclosed double quote/);
    expect(splitCommandLine("python3 'train.py")).toMatch(/unclosed single quote/);
    expect(splitCommandLine('python3 \\')).toMatch(/lone backslash/);
    expect(splitCommandLine('   ')).toMatch(/empty/);
  });
});

describe('command params', () => {
  it('turns a command line into argv, passes user params through and accepts its own output again', () => {
    const parsed = CommandParams.parse({ command: 'python3 train.py', lr: 0.1, 'batch-size': 32, augment: true, optimizer: 'adam' });
    expect(parsed).toMatchObject({ command: ['python3', 'train.py'], lr: 0.1, 'batch-size': 32, silenceSeconds: 3600 });
    expect(CommandParams.parse(parsed)).toEqual(parsed);
    expect(commandUserParams({ ...parsed, epochs: 3, seed: 2 })).toEqual([
      ['augment', true], ['batch-size', 32], ['epochs', 3], ['lr', 0.1], ['optimizer', 'adam'], ['seed', 2],
    ]);
    expect(paramEnvName('batch-size')).toBe('ABLATE_PARAM_BATCH_SIZE');
  });

  it('refuses a missing or empty command, param names that make no flag, and two names for one variable', () => {
    const missing = CommandParams.safeParse({}).error?.issues[0];
    expect(missing?.path).toEqual(['command']);
    expect(missing?.message).toMatch(/give the program/);
    expect(CommandParams.safeParse({ command: [] }).error?.issues[0]?.message).toMatch(/at least the program/);
    expect(CommandParams.safeParse({ command: 'a "b' }).error?.issues[0]?.message).toMatch(/unclosed/);
    expect(CommandParams.safeParse({ command: 'x', 'lr; rm': 1 }).error?.issues[0]).toMatchObject({ path: ['lr; rm'] });
    expect(CommandParams.safeParse({ command: 'x', 'lr-x': 1, lr_x: 2 }).error?.issues[0]?.message).toMatch(/both become ABLATE_PARAM_LR_X/);
    expect(CommandParams.safeParse({ command: 'x', nested: { a: 1 } }).success).toBe(false);
  });
});

describe('a command sweep spec', () => {
  const base = { name: 'script', template: 'command', metric: { name: 'my_score', goal: 'maximize' } };

  it('ranks by any metric name the program reports and takes any param', () => {
    const plan = planSweep({ ...base, parameters: { command: { value: 'python3 train.py' }, lr: { values: [0.1, 0.01] } } });
    expect(plan.trials).toEqual([
      expect.objectContaining({ command: ['python3', 'train.py'], lr: 0.1 }),
      expect.objectContaining({ command: ['python3', 'train.py'], lr: 0.01 }),
    ]);
    const bad = planIssues({ ...base, metric: { name: 'bad metric!', goal: 'maximize' }, parameters: { command: { value: 'x' } } });
    expect(bad).toHaveLength(1);
    expect(`${bad[0]?.path}: ${bad[0]?.message}`).toMatch(/^metric\.name: .*1-100 letters/);
  });

  it('needs a command, for a grid and for a sampled search', () => {
    const line = (i: { path: string; message: string }) => `${i.path}: ${i.message}`;
    const grid = planIssues({ ...base, parameters: { lr: { values: [1] } } }).map(line);
    expect(grid).toHaveLength(1);
    expect(grid[0]).toMatch(/^parameters\.command: give the program/);
    const random = planIssues({ ...base, method: 'random', maxTrials: 2, parameters: { lr: { uniform: { min: 0, max: 1 } } } }).map(line);
    expect(random).toHaveLength(1);
    expect(random[0]).toMatch(/^parameters\.command: template command needs command/);
  });

  it('still refuses unknown metrics and params for built-in templates', () => {
    expect(planIssues({ ...base, template: 'mnist-cnn', parameters: { lr: { value: 1 } } }).map((i) => i.path).sort()).toEqual(['metric.name', 'parameters.lr']);
  });
});
