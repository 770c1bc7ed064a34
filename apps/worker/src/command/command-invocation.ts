import { CommandParams, commandUserParams, paramEnvName, type TrialErrorInfo } from '@ablate/contracts';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TrialLaunch } from '../trial-process/trial-process.js';
import { trialEnv } from '../trial-process/trial-env.js';
import { resolveCommand, type CommandPolicy } from './command-policy.js';

/** Everything needed to start one command trial's process. */
export interface Invocation {
  /** Absolute path of the program. */
  program: string;
  /** Its arguments: the spec's, then `--name=value` per user param. */
  args: string[];
  /** Working folder (inside the command roots). */
  cwd: string;
  /** The trial's environment (see docs/command-trials.md). */
  env: NodeJS.ProcessEnv;
  /** A folder of the agent's for this run (the params file); removed when the process has exited. */
  scratchDir: string;
  /** The parsed params. */
  params: CommandParams;
  /** The command line as the log shows it. */
  display: string;
}

/**
 * Checks a leased command trial (params, policy, program, working folder), writes its params file
 * and builds its arguments and environment; or says why it cannot start, as a typed error.
 */
export async function prepareInvocation(launch: TrialLaunch, policy: CommandPolicy): Promise<Invocation | TrialErrorInfo> {
  const parsed = CommandParams.safeParse(launch.trial.params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`);
    return { code: 'invalid_params', retryable: false, message: `invalid params for template command: ${issues.join('; ')}` };
  }
  const params = parsed.data;
  const resolved = await resolveCommand(params.command, params.cwd, policy, launch.dataRoots, launch.env);
  if ('code' in resolved) return resolved;
  const user = commandUserParams(params);
  await mkdir(launch.checkpointDir, { recursive: true });
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'ablate-command-'));
  const paramsFile = path.join(scratchDir, 'params.json');
  await writeFile(paramsFile, `${JSON.stringify(Object.fromEntries(user), null, 2)}\n`);
  const env: NodeJS.ProcessEnv = {
    ...trialEnv(launch.env, launch.gpus),
    // Python buffers stdout into a pipe until it exits; metrics must arrive as they are printed.
    PYTHONUNBUFFERED: launch.env['PYTHONUNBUFFERED'] ?? '1',
    ABLATE_TRIAL_ID: launch.trial.id,
    ABLATE_TRIAL_ATTEMPT: String(launch.trial.attempt),
    ABLATE_CHECKPOINT_DIR: launch.checkpointDir,
    ABLATE_RESUME_AFTER_STEP: String(launch.trial.resumeAfterStep ?? 0),
    ABLATE_PARAMS_FILE: paramsFile,
  };
  for (const [name, value] of user) env[paramEnvName(name)] = String(value);
  const args = [...params.command.slice(1), ...user.map(([name, value]) => `--${name}=${String(value)}`)];
  return { program: resolved.program, args, cwd: resolved.cwd, env, scratchDir, params, display: [params.command[0], ...args].join(' ') };
}
