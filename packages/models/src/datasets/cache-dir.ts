import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the worker keeps what it derives from data (downloaded models, decoded images, extracted
 * features): `ABLATE_CACHE_DIR`, else `ABLATE_HOME`, else `~/.cache/ablate`. Never the dataset's
 * own folder, which may be read-only or shared between users.
 */
export function resolveCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['ABLATE_CACHE_DIR'] || env['ABLATE_HOME'];
  return dir ? resolve(dir) : join(homedir(), '.cache', 'ablate');
}

/** Downloaded pretrained extractors: `ABLATE_MODEL_CACHE`, else `<cache root>/models`. */
export function resolveModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['ABLATE_MODEL_CACHE'];
  return dir ? resolve(dir) : join(resolveCacheRoot(env), 'models');
}
