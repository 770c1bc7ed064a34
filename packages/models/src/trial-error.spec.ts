import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from './datasets/dataset-error.js';
import { runTrial } from './run-trial.js';
import { useTestBackend } from './testing/use-test-backend.js';
import { TrialError, toTrialError } from './trial-error.js';

useTestBackend();

/** The `TrialErrorInfo` of what `runTrial` rejects with. */
async function failureOf(run: Promise<unknown>): Promise<ReturnType<typeof toTrialError>> {
  try {
    await run;
  } catch (err) {
    return toTrialError(err);
  }
  throw new Error('the trial did not fail');
}

describe('every error runTrial throws maps to a typed TrialErrorInfo', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ablate-trial-error-'));
    await writeFile(path.join(root, 'broken.csv'), 'value\n');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('invalid params, an unknown template and command trials are invalid_params, not retried', async () => {
    expect(await failureOf(runTrial({ template: 'mnist-cnn', params: { epochs: 0 } }))).toMatchObject({ code: 'invalid_params', retryable: false, message: expect.stringMatching(/epochs/) as unknown });
    expect(await failureOf(runTrial({ template: 'nope', params: {} }))).toMatchObject({ code: 'invalid_params', retryable: false });
    const command = await failureOf(runTrial({ template: 'command', params: { command: ['true'] } }));
    expect(command).toMatchObject({ code: 'invalid_params', retryable: false });
    expect(command.message).toMatch(/worker's command launcher/);
  });

  it('data outside the roots, missing and corrupt files carry their own codes', async () => {
    const csv = (csvPath: string) => runTrial({ template: 'timeseries-causal-cnn', params: { dataset: 'csv', csvPath }, dataRoots: [root] });
    expect(await failureOf(csv('/etc/passwd'))).toMatchObject({ code: 'path_not_allowed', retryable: false });
    expect(await failureOf(csv('missing.csv'))).toMatchObject({ code: 'dataset_missing', retryable: false });
    expect(await failureOf(csv('broken.csv'))).toMatchObject({ code: 'dataset_corrupt', retryable: false });
  });

  it('a checkpoint that cannot be resumed is checkpoint_mismatch, with what to delete', async () => {
    const dir = path.join(root, 'checkpoint');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'checkpoint.json'), '{ not json');
    const failure = await failureOf(runTrial({ template: 'mnist-cnn', params: { trainSize: 32, validationSize: 16, epochs: 1 }, checkpointDir: dir }));
    expect(failure).toMatchObject({ code: 'checkpoint_mismatch', retryable: false });
    expect(failure.message).toMatch(/delete that folder/);
  });

  it('maps what the runtimes throw: out of memory is retried, a failed download too, anything else is internal', () => {
    expect(toTrialError(new RangeError('Array buffer allocation failed'))).toMatchObject({ code: 'out_of_memory', retryable: true });
    expect(toTrialError(new Error('Failed to allocate 1073741824 bytes on the wasm heap'))).toMatchObject({ code: 'out_of_memory', retryable: true });
    expect(toTrialError(new DatasetError('https://x/cifar.tgz', 'download failed after 3 attempt(s)', 'dataset_missing', true))).toMatchObject({ code: 'dataset_missing', retryable: true });
    expect(toTrialError(new TrialError('hung', 'silent'))).toEqual({ code: 'hung', retryable: true, message: 'silent' });
    expect(toTrialError(Object.assign(new Error('bad'), { name: 'ZodError' }))).toMatchObject({ code: 'invalid_params', retryable: false });
    expect(toTrialError('a string')).toEqual({ code: 'internal', retryable: true, message: 'a string' });
    expect(toTrialError(new Error('x'.repeat(5000))).message).toHaveLength(4000);
  });
});
