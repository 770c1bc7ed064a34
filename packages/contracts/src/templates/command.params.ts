import { z } from 'zod';
import { Primitive } from '../search-space.schema.js';
import { splitCommandLine } from './command-line.js';

export { splitCommandLine } from './command-line.js';

/** The template that runs a user's program as the trial (docs/command-trials.md). */
export const COMMAND_TEMPLATE = 'command';

/** Longest a command trial may run at all: 30 days. */
const MAX_SECONDS = 30 * 24 * 3600;

/** A user param's name: it becomes `--<name>=` and `ABLATE_PARAM_<NAME>`, so shell-free characters only. */
const USER_PARAM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const Argv = z
  .array(z.string().min(1, 'an argument cannot be empty').max(4096))
  .min(1, 'give at least the program')
  .max(256, 'at most 256 arguments');

/**
 * The program and its arguments, run directly (no shell). A spec gives a string, split like a shell
 * would split words (quotes and backslashes, nothing expanded), since a sweep's values are
 * primitives; stored params and leases carry the array.
 */
const Command = z
  .union([Argv, z.string()], {
    error: 'give the program to run and its arguments, e.g. parameters.command = { "value": "python3 train.py" }',
  })
  .transform((v, ctx) => {
    if (Array.isArray(v)) return v;
    const words = splitCommandLine(v);
    if (typeof words === 'string') {
      ctx.addIssue({ code: 'custom', message: words });
      return z.NEVER;
    }
    return words;
  })
  .pipe(Argv);

/** The template's own fields; every other param is the user's, passed through to the program. */
const own = {
  /** The program and its arguments, e.g. "python3 train.py" (split into words, no shell) or `["python3", "train.py"]`. */
  command: Command,
  /** Working folder on the worker, inside its ABLATE_COMMAND_ROOTS (relative: from the first root); default the first root. */
  cwd: z.string().min(1).max(4096).optional(),
  /** Longest the program may run, in seconds; past it the trial fails as `hung`. Default: no limit. */
  timeoutSeconds: z.number().int().min(1).max(MAX_SECONDS).optional(),
  /** Longest the program may print nothing (no output line, no metric), in seconds; past it the trial fails as `hung`. Default 3600. */
  silenceSeconds: z.number().int().min(1).max(MAX_SECONDS).default(3600),
  /** Steps the program will report, when it knows (for progress lines); passed to it like any user param. */
  epochs: z.number().int().min(1).max(100_000_000).optional(),
  /** Seed, set by `repeats` (1..N); passed to the program like any user param. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
};

/** Params the agent keeps for itself; the rest (user params, `epochs`, `seed`) go to the program. */
export const COMMAND_AGENT_FIELDS: readonly string[] = ['command', 'cwd', 'timeoutSeconds', 'silenceSeconds'];

/** The environment variable a user param arrives in: `learning-rate` → `ABLATE_PARAM_LEARNING_RATE`. */
export function paramEnvName(name: string): string {
  return `ABLATE_PARAM_${name.toUpperCase().replaceAll('-', '_')}`;
}

/** User param names must make usable flags and environment variables, and two must not share one. */
function checkUserParams(params: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const byEnv = new Map<string, string>();
  for (const key of Object.keys(params)) {
    if (Object.hasOwn(own, key)) continue;
    if (!USER_PARAM_NAME.test(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'a command param name starts with a letter and has letters, digits, "_" or "-" (at most 64): it becomes --name=value and ABLATE_PARAM_NAME' });
      continue;
    }
    const env = paramEnvName(key);
    const other = byEnv.get(env);
    if (other !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} and ${other} both become ${env}; rename one` });
    byEnv.set(env, key);
  }
}

/**
 * A trial that runs any program (`template: "command"`): the template's fields, plus any other
 * param the user sweeps (a number, string or boolean), handed to the program as `--name=value`,
 * `ABLATE_PARAM_<NAME>` and in the JSON file `ABLATE_PARAMS_FILE`.
 */
export const CommandParams = z.object(own).catchall(Primitive).superRefine(checkUserParams);
export type CommandParams = z.infer<typeof CommandParams>;

/** The params a command trial hands to its program: the user's, `epochs` and `seed`, in a stable order. */
export function commandUserParams(params: Record<string, unknown>): [string, string | number | boolean][] {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number | boolean] => !COMMAND_AGENT_FIELDS.includes(entry[0]) && ['string', 'number', 'boolean'].includes(typeof entry[1]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
