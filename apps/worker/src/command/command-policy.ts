import { isRetryableTrialError, type TrialErrorInfo } from '@ablate/contracts';
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Which programs this worker runs as command trials: none (the default), any, or the listed ones. */
export const ALLOW_COMMANDS_VARIABLE = 'ABLATE_ALLOW_COMMANDS';
/** Folders a command trial's working folder must lie in (default: the data roots). */
export const COMMAND_ROOTS_VARIABLE = 'ABLATE_COMMAND_ROOTS';

/**
 * What a node lets a sweep run on it. A sweep is written by whoever can reach the API, so a
 * worker runs no program it was not told to: `none` unless ABLATE_ALLOW_COMMANDS says otherwise.
 */
export interface CommandPolicy {
  /** `none`: refuse command trials; `any`: run any program; a list: only these (names looked up on PATH, or absolute paths). */
  allow: 'none' | 'any' | readonly string[];
  /** Folders a trial's `cwd` must lie in (relative: from the first); default the launch's data roots. */
  roots?: readonly string[] | undefined;
}

/** The policy from ABLATE_ALLOW_COMMANDS (`false`, `true`, or programs separated by ",") and ABLATE_COMMAND_ROOTS (folders separated by ":"). */
export function loadCommandPolicy(env: NodeJS.ProcessEnv = process.env): CommandPolicy {
  const raw = (env[ALLOW_COMMANDS_VARIABLE] ?? '').trim();
  const roots = env[COMMAND_ROOTS_VARIABLE]?.split(path.delimiter).filter((r) => r.trim() !== '').map((r) => path.resolve(r));
  const allow = ['', 'false', '0', 'no'].includes(raw.toLowerCase()) ? 'none' : ['true', '1', 'yes', '*'].includes(raw.toLowerCase()) ? 'any' : raw.split(',').map((p) => p.trim()).filter(Boolean);
  return { allow, roots: roots && roots.length > 0 ? roots : undefined };
}

/** Where and what to run, once the policy allows it. */
export interface ResolvedCommand {
  /** Absolute path of the program. */
  program: string;
  /** Real path of the working folder. */
  cwd: string;
}

const fail = (code: TrialErrorInfo['code'], message: string): TrialErrorInfo => ({ code, retryable: isRetryableTrialError(code), message });

/**
 * Checks a command trial against the policy and finds its program and working folder, or says
 * why it cannot run: `command_not_allowed` (another worker may allow it), `path_not_allowed`,
 * `command_not_found` (the path, at once, without retries).
 */
export async function resolveCommand(argv: readonly string[], cwdParam: string | undefined, policy: CommandPolicy, dataRoots: readonly string[], env: NodeJS.ProcessEnv): Promise<ResolvedCommand | TrialErrorInfo> {
  if (policy.allow === 'none') {
    return fail('command_not_allowed', `This worker does not run command trials. Start it with ${ALLOW_COMMANDS_VARIABLE}=true (any program) or a list such as ${ALLOW_COMMANDS_VARIABLE}=python3,Rscript.`);
  }
  const roots = policy.roots ?? dataRoots;
  const cwd = await resolveCwd(cwdParam, roots);
  if (typeof cwd !== 'string') return cwd;
  const name = argv[0] ?? '';
  const program = name.includes('/') ? await checkExecutable(path.resolve(cwd, name)) : await findOnPath(name, env.PATH ?? '');
  if (typeof program !== 'string') return program;
  if (policy.allow !== 'any' && !(await isListed(name, program, policy.allow))) {
    return fail('command_not_allowed', `${name} is not among the programs this worker runs (${ALLOW_COMMANDS_VARIABLE}=${policy.allow.join(',')}).`);
  }
  return { program, cwd };
}

async function resolveCwd(cwdParam: string | undefined, roots: readonly string[]): Promise<string | TrialErrorInfo> {
  const first = roots[0];
  if (first === undefined) return fail('path_not_allowed', `No folders are allowed for command trials; set ${COMMAND_ROOTS_VARIABLE} on the worker.`);
  const wanted = path.resolve(first, cwdParam ?? '.');
  const real = await realpath(wanted).catch(() => null);
  if (real === null || !(await stat(real)).isDirectory()) return fail('command_not_found', `The working folder ${wanted} does not exist on this worker (cwd ${JSON.stringify(cwdParam ?? '.')}).`);
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))));
  if (realRoots.some((root) => isInside(real, root))) return real;
  return fail('path_not_allowed', `cwd ${JSON.stringify(cwdParam)} (${real}) lies outside the folders command trials may use (${roots.join(', ')}); put the code under one, or add its folder to ${COMMAND_ROOTS_VARIABLE} on the worker.`);
}

async function checkExecutable(file: string): Promise<string | TrialErrorInfo> {
  const info = await stat(file).catch(() => null);
  if (!info || !info.isFile()) return fail('command_not_found', `${file} does not exist (or is no file) on this worker.`);
  if (!(await access(file, constants.X_OK).then(() => true, () => false))) return fail('command_not_found', `${file} is not executable; chmod +x it, or run it through its interpreter (e.g. "python3 ${path.basename(file)}").`);
  return file;
}

async function findOnPath(name: string, searchPath: string): Promise<string | TrialErrorInfo> {
  const dirs = searchPath.split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const found = await checkExecutable(path.join(dir, name));
    if (typeof found === 'string') return found;
  }
  return fail('command_not_found', `${name} was not found on this worker's PATH (${dirs.join(path.delimiter) || 'empty'}); install it or give its absolute path.`);
}

/** A listed name matches a program found on PATH by that name; a listed path matches the program's real path. */
async function isListed(name: string, program: string, allowed: readonly string[]): Promise<boolean> {
  if (!name.includes('/') && allowed.includes(name)) return true;
  const real = await realpath(program);
  const listed = await Promise.all(allowed.filter((a) => a.includes('/')).map((a) => realpath(a).catch(() => null)));
  return listed.includes(real);
}

function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`));
}
