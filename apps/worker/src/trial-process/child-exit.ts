import type { TrialErrorInfo } from '@ablate/contracts';
import type { TrialOutcome } from './trial-process.js';

/** How a trial's child process ended, as the agent saw it. */
export interface ChildExit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, or null. */
  signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr (for messages). */
  stderrTail: string[];
  /** The agent asked it to stop (`stop`): SIGTERM, then SIGKILL after the grace. */
  stopRequested: boolean;
  /** The agent killed it because it sent nothing for longer than the hang timeout (ms), or null. */
  hungAfterMs: number | null;
  /** It could not be started at all (e.g. ENOENT), or null. */
  spawnError: Error | null;
}

/** Out-of-memory deaths of V8 (heap limit) and of a native allocator, as they read on stderr. */
const OUT_OF_MEMORY =
  /JavaScript heap out of memory|Allocation failed - process out of memory|std::bad_alloc|Cannot allocate memory|out of memory/i;

/**
 * The outcome of a child that gave no last word of its own (it was killed, crashed, or hung), so a
 * crash, an out-of-memory death or a hang in one trial is a typed failure of that trial and never
 * more: `crashed` (a signal nobody asked for, kill -9 included), `out_of_memory`, `hung`, or
 * `internal` (a non-zero exit). All of them may succeed on a retry.
 */
export function concludeExit(exit: ChildExit): TrialOutcome {
  if (exit.stopRequested && exit.hungAfterMs === null) return { type: 'stopped' };
  const failed = (error: TrialErrorInfo): TrialOutcome => ({
    type: 'failed',
    error,
    exitCode: exit.code,
    signal: exit.signal,
  });
  const tail =
    exit.stderrTail.length > 0 ? `; its last output: ${exit.stderrTail.slice(-5).join(' | ')}` : '';
  if (exit.spawnError)
    return failed({
      code: 'internal',
      retryable: true,
      message: `The trial's process could not start: ${exit.spawnError.message}`,
    });
  if (exit.hungAfterMs !== null) {
    const seconds = Math.round(exit.hungAfterMs / 1000);
    return failed({
      code: 'hung',
      retryable: true,
      message: `The trial sent nothing for ${seconds} s (its process was stopped or stuck), so the agent killed it${tail}`,
    });
  }
  if (exit.stderrTail.some((l) => OUT_OF_MEMORY.test(l))) {
    return failed({
      code: 'out_of_memory',
      retryable: true,
      message: `The trial's process ran out of memory${tail}`,
    });
  }
  if (exit.signal) {
    const hint =
      exit.signal === 'SIGKILL'
        ? ' (kill -9, or the kernel killing the largest process when the node ran out of memory: see dmesg)'
        : '';
    return failed({
      code: 'crashed',
      retryable: true,
      message: `The trial's process was killed by ${exit.signal}${hint}${tail}`,
    });
  }
  if (exit.code !== 0)
    return failed({
      code: 'crashed',
      retryable: true,
      message: `The trial's process exited with code ${exit.code} without a result${tail}`,
    });
  return failed({
    code: 'internal',
    retryable: true,
    message: `The trial's process exited without a result${tail}`,
  });
}
