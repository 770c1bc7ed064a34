import { initBackend, runTrial, toTrialError } from '@ablate/models';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ALIVE_INTERVAL_MS,
  PROBE_BACKEND_ARG,
  type ChildMessage,
  type StartTrialMessage,
} from './template-messages.js';

/**
 * A child process that trains one built-in template trial (forked by `template-launcher.ts`): it
 * gets the trial over IPC, runs `runTrial` with the trial's checkpoint folder, and sends every
 * epoch, checkpoint and log line back, then its result or its typed error. On SIGTERM it stops
 * after the current batch (the last epoch's checkpoint stays) and says so. When the agent dies
 * its IPC channel closes and the child exits at once, so no orphan keeps writing a checkpoint
 * that another agent is about to resume from.
 */

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Sends the last message and exits once it is written (exiting at once could drop it; TF.js may hold the event loop open). */
function sendLastAndExit(message: ChildMessage): void {
  if (!process.send) process.exit(0);
  process.send(message, () => process.exit(0));
}

async function probeBackend(): Promise<void> {
  sendLastAndExit({ type: 'backend', name: await initBackend() });
}

async function train(start: StartTrialMessage): Promise<void> {
  const { trial, checkpointDir } = start;
  const abort = new AbortController();
  process.once('SIGTERM', () => abort.abort());
  const alive = setInterval(() => send({ type: 'alive' }), ALIVE_INTERVAL_MS);
  let lastCheckpoint = trial.resumeAfterStep ?? 0;
  const log = (line: string) => send({ type: 'event', event: { type: 'log', stream: 'stdout', line } });
  log(
    `child pid ${process.pid}, CUDA_VISIBLE_DEVICES=${process.env['CUDA_VISIBLE_DEVICES'] ?? '(unset)'}, node flags ${process.execArgv.join(' ') || '(none)'}`,
  );
  try {
    const result = await runTrial({
      template: trial.template,
      params: trial.params,
      signal: abort.signal,
      checkpointDir,
      resumeAfterStep: trial.resumeAfterStep,
      dataRoots: start.dataRoots,
      ...(trial.metric ? { objective: trial.metric } : {}),
      log,
      onEpoch: async (step, metrics) => {
        // The training loop writes an epoch's checkpoint before it reports the epoch; say so when it
        // is newer than the last one said (a resume first re-reports epochs the checkpoint holds).
        const saved = await checkpointEpoch(checkpointDir);
        if (saved !== null && saved > lastCheckpoint) {
          lastCheckpoint = saved;
          send({ type: 'event', event: { type: 'checkpoint', step: saved } });
        }
        send({ type: 'event', event: { type: 'epoch', step, metrics } });
      },
    });
    clearInterval(alive);
    sendLastAndExit({
      type: 'completed',
      step: result.step,
      ...(result.scoreStep === undefined ? {} : { scoreStep: result.scoreStep }),
      metrics: result.metrics,
      backend: result.backend,
    });
  } catch (err) {
    clearInterval(alive);
    sendLastAndExit(
      abort.signal.aborted ? { type: 'stopped' } : { type: 'failed', error: toTrialError(err) },
    );
  }
}

/** The epoch of the checkpoint in `dir` (its manifest), or null when there is none yet. */
async function checkpointEpoch(dir: string): Promise<number | null> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'checkpoint.json'), 'utf8')) as {
      epoch?: unknown;
    };
    return typeof manifest.epoch === 'number' ? manifest.epoch : null;
  } catch {
    return null;
  }
}

// The agent went away (killed with -9, crashed): nobody reads what this trial does any more.
process.on('disconnect', () => process.exit(0));

if (process.argv[2] === PROBE_BACKEND_ARG) {
  await probeBackend();
} else {
  process.once('message', (message: StartTrialMessage) => {
    void train(message);
  });
}
