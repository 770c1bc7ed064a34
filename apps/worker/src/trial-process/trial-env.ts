/** Variables of the agent a trial's process never sees: the pool token would let a trial act as a worker. */
const SECRETS = ['ABLATE_WORKER_TOKEN'];

/**
 * The environment a trial's process starts with: the agent's, minus its secrets, with
 * `CUDA_VISIBLE_DEVICES` set to the trial's GPUs — empty for a CPU slot, so a GPU build of a
 * framework stays off GPUs other trials were given.
 */
export function trialEnv(base: NodeJS.ProcessEnv, gpus: readonly number[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of SECRETS) delete env[name];
  env['CUDA_VISIBLE_DEVICES'] = gpus.join(',');
  return env;
}
