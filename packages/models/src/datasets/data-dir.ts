import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Dataset cache folder: the explicit one, else `ABLATE_DATA_DIR`, else `~/.cache/ablate`. */
export function resolveDataDir(explicit?: string): string {
  const dir = explicit ?? process.env['ABLATE_DATA_DIR'];
  return dir && dir.length > 0 ? resolve(dir) : join(homedir(), '.cache', 'ablate');
}
