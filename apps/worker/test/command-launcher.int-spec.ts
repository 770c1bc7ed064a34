import type { LeasedTrial } from '@ablate/contracts';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLauncher } from '../src/command/command-launcher.js';
import type { CommandPolicy } from '../src/command/command-policy.js';
import { METRICS_JOURNAL } from '../src/command/metrics-journal.js';
import type { TrialEvent, TrialOutcome } from '../src/trial-process/trial-process.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/command/', import.meta.url));

/** Runs one command trial through the launcher, collecting its events. */
async function runCommand(
  params: Record<string, unknown>,
  o: { root: string; policy?: CommandPolicy; resumeAfterStep?: number | null; id?: string; gpus?: number[]; stopAfterMs?: number; env?: NodeJS.ProcessEnv },
): Promise<{ outcome: TrialOutcome; events: TrialEvent[]; pid: number | undefined; checkpointDir: string; notes: string[] }> {
  const trial: LeasedTrial = { id: o.id ?? randomUUID(), sweepId: randomUUID(), template: 'command', params, attempt: 1, resumeAfterStep: o.resumeAfterStep ?? null, gpus: 0, leaseExpiresAt: new Date().toISOString() };
  const checkpointDir = path.join(o.root, 'checkpoints', trial.id);
  const launch = commandLauncher({ policy: o.policy ?? { allow: 'any', roots: [FIXTURES, o.root] }, timeoutGraceMs: 2000 });
  const running = launch({ trial, checkpointDir, gpus: o.gpus ?? [], dataRoots: [o.root], env: { ...process.env, ABLATE_WORKER_TOKEN: 'secret-token-0123456789', ...o.env } });
  const events: TrialEvent[] = [];
  running.onEvent((e) => events.push(e));
  if (o.stopAfterMs !== undefined) {
    const ms = o.stopAfterMs;
    void new Promise((r) => setTimeout(r, ms)).then(() => running.stop(2000));
  }
  const outcome = await running.outcome;
  const notes = events.flatMap((e) => (e.type === 'log' && e.stream === 'agent' ? [e.line] : []));
  return { outcome, events, pid: running.pid, checkpointDir, notes };
}

/** Whether `pid` is a live process (a zombie nobody reaped yet is dead: in a container, pid 1 may never reap it). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/^\S+ \(.*\) [ZX]/.test(stat);
}

const epochs = (events: TrialEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [[e.step, e.metrics] as const] : []));

describe('command trials: the user program as the trial', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ablate-command-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('hands params over as flags, environment and a JSON file, and reports what the program prints', async () => {
    const record = path.join(root, 'seen.json');
    const id = randomUUID();
    const run = await runCommand({ command: 'python3 numpy_fit.py', cwd: FIXTURES, lr: 0.1, epochs: 3, record, silenceSeconds: 60 }, { root, id, gpus: [1, 3] });
    expect(run.outcome).toMatchObject({ type: 'completed', step: 3, backend: 'python3' });
    const steps = epochs(run.events);
    expect(steps.map(([s]) => s)).toEqual([1, 2, 3]);
    expect(steps[2]![1]['loss']).toBeLessThan(steps[0]![1]['loss']!);
    expect(run.events.filter((e) => e.type === 'checkpoint').map((e) => e.type === 'checkpoint' && e.step)).toEqual([1, 2, 3]);
    // Completion: the last step's metrics with the final line's on top.
    expect(run.outcome.type === 'completed' && Object.keys(run.outcome.metrics).sort()).toEqual(['loss', 'test_r2', 'val_r2']);
    const seen = JSON.parse(await readFile(record, 'utf8')) as { argv: string[]; env: Record<string, string>; params_file: unknown; cwd: string };
    expect(seen.argv).toEqual([`--epochs=3`, '--lr=0.1', `--record=${record}`]);
    expect(seen.params_file).toEqual({ epochs: 3, lr: 0.1, record });
    expect(seen.env).toMatchObject({
      ABLATE_TRIAL_ID: id, ABLATE_TRIAL_ATTEMPT: '1', ABLATE_CHECKPOINT_DIR: run.checkpointDir, ABLATE_RESUME_AFTER_STEP: '0',
      ABLATE_PARAM_LR: '0.1', ABLATE_PARAM_EPOCHS: '3', CUDA_VISIBLE_DEVICES: '1,3',
    });
    expect(seen.env['ABLATE_WORKER_TOKEN']).toBeUndefined();
    expect(seen.cwd).toBe(FIXTURES.replace(/\/$/, ''));
    expect(run.notes[0]).toMatch(/^started python3 numpy_fit.py --epochs=3 --lr=0.1/);
  });

  it('a non-zero exit fails with the exit code and the end of stderr, and stderr reaches the log', async () => {
    const run = await runCommand({ command: ['python3', 'fail.py'], cwd: FIXTURES }, { root });
    expect(run.outcome).toMatchObject({ type: 'failed', exitCode: 3, error: { code: 'command_failed', retryable: true } });
    const message = run.outcome.type === 'failed' ? run.outcome.error.message : '';
    expect(message).toMatch(/^python3 fail.py exited with code 3\./);
    expect(message).toMatch(/ValueError: the labels file has 9 classes, expected 10$/);
    expect(run.events).toContainEqual({ type: 'log', stream: 'stderr', line: 'warning 0: something is off' });
    expect(run.events).toContainEqual({ type: 'log', stream: 'stdout', line: 'loading data' });
  });

  it('a missing or non-executable program, or one the policy refuses, fails at once with the path and no retry', async () => {
    const missing = await runCommand({ command: 'python4 train.py', cwd: FIXTURES }, { root });
    expect(missing.pid).toBeUndefined();
    expect(missing.outcome).toMatchObject({ type: 'failed', error: { code: 'command_not_found', retryable: false, message: expect.stringMatching(/^python4 was not found on this worker's PATH/) as unknown } });
    const script = path.join(root, 'train.sh');
    await writeFile(script, '#!/bin/sh\necho hi\n');
    await chmod(script, 0o644);
    const plain = await runCommand({ command: './train.sh', cwd: root }, { root });
    expect(plain.outcome).toMatchObject({ type: 'failed', error: { code: 'command_not_found', retryable: false, message: `${script} is not executable; chmod +x it, or run it through its interpreter (e.g. "python3 train.sh").` } });
    const nowhere = await runCommand({ command: './nope.py', cwd: root }, { root });
    expect(nowhere.outcome).toMatchObject({ type: 'failed', error: { code: 'command_not_found', message: `${path.join(root, 'nope.py')} does not exist (or is no file) on this worker.` } });

    const off = await runCommand({ command: 'python3 fail.py', cwd: FIXTURES }, { root, policy: { allow: 'none' } });
    expect(off.outcome).toMatchObject({ type: 'failed', error: { code: 'command_not_allowed', retryable: true, message: expect.stringMatching(/ABLATE_ALLOW_COMMANDS=true/) as unknown } });
    const listed = await runCommand({ command: 'sh -c "exit 0"', cwd: FIXTURES }, { root, policy: { allow: ['python3'], roots: [FIXTURES] } });
    expect(listed.outcome).toMatchObject({ type: 'failed', error: { code: 'command_not_allowed', message: 'sh is not among the programs this worker runs (ABLATE_ALLOW_COMMANDS=python3).' } });
    const outside = await runCommand({ command: 'python3 fail.py', cwd: '/etc' }, { root, policy: { allow: 'any', roots: [root] } });
    expect(outside.outcome).toMatchObject({ type: 'failed', error: { code: 'path_not_allowed', retryable: false, message: expect.stringMatching(/ABLATE_COMMAND_ROOTS/) as unknown } });
    const bad = await runCommand({ command: 'python3 "fail.py' }, { root });
    expect(bad.outcome).toMatchObject({ type: 'failed', error: { code: 'invalid_params', message: expect.stringMatching(/unclosed double quote/) as unknown } });
    for (const r of [missing, plain, off, listed, outside]) expect(r.notes[0]).toMatch(/^not started: /);
  });

  it('names malformed metric lines and NaN or Infinity values with their step in the log, and skips them', async () => {
    const run = await runCommand({ command: 'python3 noisy.py', cwd: FIXTURES }, { root });
    expect(epochs(run.events)).toEqual([[1, { acc: 0.5 }], [3, { acc: 0.7 }]]);
    expect(run.outcome).toMatchObject({ type: 'completed', step: 3, metrics: { acc: 0.7, test_acc: 0.65 } });
    expect(run.notes.slice(1)).toEqual([
      expect.stringMatching(/^skipped a malformed metric line \(not JSON .*\): \{'step': 1, 'acc': 0.5\}$/),
      'step 1: loss is NaN; metrics must be finite numbers (not reported)',
      'step 2: acc is Infinity; metrics must be finite numbers (not reported)',
      expect.stringMatching(/^skipped a malformed metric line \(not JSON .*\): \{"step": 2, "acc": 0.6$/),
      'skipped step 2: it comes after step 3, and steps must not go back: {"step": 2, "acc": 0.1}',
    ] as unknown[]);
    expect(run.events).toContainEqual({ type: 'log', stream: 'stdout', line: 'plain log line' });
  });

  it('resumes: the program finds its checkpoint folder and ABLATE_RESUME_AFTER_STEP, and checkpointed steps the scheduler lacks are reported again', async () => {
    const id = randomUUID();
    const first = await runCommand({ command: 'python3 numpy_fit.py', cwd: FIXTURES, epochs: 4, 'crash-after': 2 }, { root, id });
    expect(first.outcome).toMatchObject({ type: 'failed', exitCode: 1, error: { code: 'command_failed' } });
    expect(epochs(first.events).map(([s]) => s)).toEqual([1, 2, 3]);
    const journal = (await readFile(path.join(first.checkpointDir, METRICS_JOURNAL), 'utf8')).trim().split('\n');
    expect(journal.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([1, 2]);

    // The agent died with step 2's report unsent: the scheduler holds step 1 only.
    const record = path.join(root, 'resumed.json');
    const second = await runCommand({ command: 'python3 numpy_fit.py', cwd: FIXTURES, epochs: 4, 'crash-after': 2, record }, { root, id, resumeAfterStep: 1 });
    expect(second.outcome).toMatchObject({ type: 'completed', step: 4 });
    expect(epochs(second.events).map(([s]) => s)).toEqual([2, 3, 4]);
    expect(epochs(second.events)[0]).toEqual(epochs(first.events)[1]);
    const seen = JSON.parse(await readFile(record, 'utf8')) as { env: Record<string, string>; checkpoint_files: string[] };
    expect(seen.env['ABLATE_RESUME_AFTER_STEP']).toBe('1');
    expect(seen.checkpoint_files).toEqual([METRICS_JOURNAL, 'step', 'weights.npy']);
    expect(second.events).toContainEqual({ type: 'log', stream: 'stdout', line: 'resuming from step 2' });
  });

  it('a stop sends SIGTERM to the program and everything it started; the program may checkpoint first', async () => {
    const pidfile = path.join(root, 'grandchild.pid');
    const run = await runCommand({ command: 'python3 sleepy.py', cwd: FIXTURES, pidfile }, { root, stopAfterMs: 1500 });
    expect(run.outcome).toEqual({ type: 'stopped' });
    expect(run.events).toContainEqual({ type: 'checkpoint', step: 1 });
    const grandchild = Number(await readFile(pidfile, 'utf8'));
    expect(await isRunning(grandchild)).toBe(false);
  });

  it('a program past its timeoutSeconds, or silent past silenceSeconds, fails as hung', async () => {
    const late = await runCommand({ command: 'python3 sleepy.py', cwd: FIXTURES, 'on-term': 'ignore', timeoutSeconds: 1 }, { root });
    expect(late.outcome).toMatchObject({ type: 'failed', signal: 'SIGKILL', error: { code: 'hung', retryable: true, message: expect.stringMatching(/ran longer than its timeoutSeconds \(1 s\)/) as unknown } });
    const silent = await runCommand({ command: 'python3 sleepy.py', cwd: FIXTURES, quiet: true, silenceSeconds: 1 }, { root });
    expect(silent.outcome).toMatchObject({ type: 'failed', error: { code: 'hung', message: expect.stringMatching(/printed nothing for 1 s \(silenceSeconds\)/) as unknown } });
  });
});
