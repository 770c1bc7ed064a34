import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChildTrial } from './child-trial.js';
import { isChildMessage, PROBE_BACKEND_ARG, type StartTrialMessage } from './template-messages.js';
import type { TrialLaunch, TrialLauncher } from './trial-process.js';
import { trialEnv } from './trial-env.js';

export interface TemplateLauncherOptions {
  /** Nothing from a child for this long: it is killed and its trial fails as `hung` (0: never). */
  hangTimeoutMs: number;
  /**
   * Node flags of each child, e.g. `--max-old-space-size=4096` (the agent's own flags are not passed
   * on). Default: `CPU_TRIAL_FLAGS` for a trial on CPU slots, none for a trial on GPUs.
   */
  execArgv?: string[];
}

/**
 * The compiled child entry. Specs run this file from `src/` through vitest, but a child is a plain
 * `node` process: it runs the build in `dist/` (`npm test` builds first).
 */
export function templateChildPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return fileURLToPath(new URL('./template-child.js', import.meta.url));
  return fileURLToPath(new URL('../../dist/trial-process/template-child.js', import.meta.url));
}

/**
 * A trial on a CPU slot runs V8 single-threaded: its JIT compiler and garbage collector otherwise
 * work on background threads (a third of a core beside a training trial's main thread, measured by
 * `npm run bench:slots`), which take the core of the slot next to it. One slot is then one core, as
 * the default of one CPU slot per core assumes; the total CPU of a trial stays the same.
 */
export const CPU_TRIAL_FLAGS: readonly string[] = ['--single-threaded'];

/** Launches each built-in template trial in its own `node` child (`template-child.ts`). */
export function templateLauncher(o: TemplateLauncherOptions): TrialLauncher {
  return (launch: TrialLaunch) => {
    const child = fork(templateChildPath(), [], {
      env: trialEnv(launch.env, launch.gpus),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: o.execArgv ?? (launch.gpus.length === 0 ? [...CPU_TRIAL_FLAGS] : []),
    });
    const trial = new ChildTrial(child, { hangTimeoutMs: o.hangTimeoutMs });
    child.on('message', (m: unknown) => {
      if (!isChildMessage(m)) return;
      switch (m.type) {
        case 'event':
          return trial.emit(m.event);
        case 'alive':
        case 'backend':
          return trial.alive();
        case 'completed':
          return trial.settle({ type: 'completed', step: m.step, ...(m.scoreStep === undefined ? {} : { scoreStep: m.scoreStep }), metrics: m.metrics, backend: m.backend });
        case 'failed':
          return trial.settle({ type: 'failed', error: m.error, exitCode: null, signal: null });
        case 'stopped':
          return trial.settle({ type: 'stopped' });
      }
    });
    // A child that died before reading it makes send fail; its exit tells the rest.
    child.on('error', () => undefined);
    const start: StartTrialMessage = {
      type: 'start',
      trial: launch.trial,
      checkpointDir: launch.checkpointDir,
      dataRoots: launch.dataRoots,
    };
    child.send(start, () => undefined);
    return trial;
  };
}

/**
 * The TF.js backend this node's template children train on, from a child of its own (the agent
 * never loads TF.js: a GPU build would take memory on every GPU). Runs with no GPU visible.
 */
export function probeTemplateBackend(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 120_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(templateChildPath(), [PROBE_BACKEND_ARG], {
      env: trialEnv(env, []),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let name: string | null = null;
    child.on('message', (m: unknown) => {
      if (isChildMessage(m) && m.type === 'backend') name = m.name;
    });
    child.on('error', (err) =>
      reject(new Error(`could not start a trial process to probe the TF.js backend: ${err.message}`)),
    );
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (name !== null) resolve(name);
      else
        reject(
          new Error(
            `the TF.js backend probe failed (${signal ?? `exit code ${code}`}): ${stderr.trim() || 'no output'}`,
          ),
        );
    });
  });
}
