import { lstat, realpath } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { resolveDataDir } from './data-dir.js';
import { DatasetError } from './dataset-error.js';

/** The variable that lists the folders a sweep's dataset and model paths must lie in. */
export const DATA_ROOTS_VARIABLE = 'ABLATE_DATA_ROOTS';

/**
 * Folders a spec's paths (`imageFolder`, `csvPath`, a local `extractor`) may point into: the
 * explicit list, else `ABLATE_DATA_ROOTS` (separated by `path.delimiter`, ":" on Linux), else the
 * dataset cache `dataDir` (`ABLATE_DATA_DIR`, `~/.cache/ablate`) and `<cwd>/datasets`. A sweep is written by
 * whoever can reach the API, so it must not read `/etc` or the worker's home on the worker node.
 */
export function resolveDataRoots(explicit?: readonly string[], dataDir = resolveDataDir(), env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env[DATA_ROOTS_VARIABLE]?.split(delimiter).filter((s) => s.trim().length > 0);
  const roots = explicit ?? (fromEnv && fromEnv.length > 0 ? fromEnv : [dataDir, join(process.cwd(), 'datasets')]);
  return [...new Set(roots.map((r) => resolve(r)))];
}

/**
 * The real path (symlinks resolved) of the spec param `param`, which must lie inside one of
 * `roots`; a relative value resolves against the first root. A path that does not exist yet is
 * resolved through its deepest existing folder, so the loader reports it missing only when it would
 * be allowed. Throws a DatasetError naming the param, the resolved path, the roots and the variable.
 */
export async function confineDataPath(param: string, value: string, roots: readonly string[]): Promise<string> {
  const first = roots[0];
  if (first === undefined) throw new DatasetError(param, `no data roots are configured; set ${DATA_ROOTS_VARIABLE} on the worker`, 'path_not_allowed');
  if (value.includes('\0')) throw new DatasetError(param, 'the path contains a NUL character', 'invalid_params');
  const real = await realpathOfDeepestExisting(resolve(first, value));
  const realRoots = await Promise.all(roots.map((r) => realpathOfDeepestExisting(resolve(r))));
  if (realRoots.some((root) => isInside(real, root))) return real;
  throw new DatasetError(
    real,
    `${param} ${JSON.stringify(value)} lies outside the data roots (${roots.join(', ')}). A relative path is read from the first ` +
      `root; put the data under a root, or add its folder to ${DATA_ROOTS_VARIABLE} on the worker (folders separated by "${delimiter}").`,
    'path_not_allowed',
  );
}

/** True when `path` is `root` or below it (both absolute and normalised). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * realpath of an absolute path whose tail may not exist: the existing part is resolved (symlinks
 * included) and the missing names are appended, since they cannot be links.
 */
async function realpathOfDeepestExisting(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = dirname(current);
      // ENOTDIR: a file where a folder was expected; treat it like a missing name below it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw new DatasetError(path, (err as Error).message, 'dataset_missing');
      // A dangling symlink would be followed once its target appears, wherever that is.
      if (await lstat(current).then((s) => s.isSymbolicLink(), () => false)) throw new DatasetError(current, 'is a symbolic link to a missing target', 'dataset_missing');
      missing.push(basename(current));
      current = parent;
    }
  }
}
