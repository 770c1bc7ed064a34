import type { TrialErrorInfo } from '@ablate/contracts';
import type { ChildExit } from '../trial-process/child-exit.js';
import type { TrialOutcome } from '../trial-process/trial-process.js';

/** Longest failure message a report carries. */
const MAX_MESSAGE = 4000;

/** How programs say they ran out of memory (Python, PyTorch, TensorFlow, the JVM, glibc). */
const OUT_OF_MEMORY = /\bMemoryError\b|CUDA out of memory|OutOfMemoryError|ResourceExhaustedError|\bOOM\b|Cannot allocate memory|std::bad_alloc/;

/** What the agent knows about a command trial's run besides how its process exited. */
export interface CommandRunFacts {
  /** The command line (for messages). */
  display: string;
  /** Set when it ran past `timeoutSeconds` and the agent stopped it. */
  timeoutSeconds: number | null;
  /** The completion of an exit 0. */
  result: () => { step: number; metrics: Record<string, number> };
  /** Reported as the trial's backend: the program's name. */
  backend: string;
}

/**
 * The outcome of a command trial: its exit code decides. 0 → completed; non-zero →
 * `command_failed` with the code and the end of stderr; killed by a signal nobody asked for →
 * `crashed`; out of memory (said on stderr) → `out_of_memory`; past its timeout or silent too
 * long → `hung`; stopped by the agent → stopped. All but a missing program may be retried.
 */
export function concludeCommand(exit: ChildExit, facts: CommandRunFacts): TrialOutcome {
  const failed = (error: TrialErrorInfo): TrialOutcome => ({ type: 'failed', error: { ...error, message: clip(error.message) }, exitCode: exit.code, signal: exit.signal });
  const stderr = exit.stderrTail.length > 0 ? `\nLast lines on stderr:\n${exit.stderrTail.join('\n')}` : ' It wrote nothing on stderr.';
  if (facts.timeoutSeconds !== null) return failed({ code: 'hung', retryable: true, message: `${facts.display} ran longer than its timeoutSeconds (${facts.timeoutSeconds} s) and was stopped.${stderr}` });
  if (exit.hungAfterMs !== null) {
    const seconds = Math.round(exit.hungAfterMs / 1000);
    return failed({ code: 'hung', retryable: true, message: `${facts.display} printed nothing for ${seconds} s (silenceSeconds) and was killed; print a line now and then, or raise silenceSeconds.${stderr}` });
  }
  if (exit.stopRequested) return { type: 'stopped' };
  if (exit.spawnError) {
    const code = (exit.spawnError as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') return failed({ code: 'command_not_found', retryable: false, message: `${facts.display} could not start: ${exit.spawnError.message}` });
    return failed({ code: 'internal', retryable: true, message: `${facts.display} could not start: ${exit.spawnError.message}` });
  }
  if (exit.code === 0) return { type: 'completed', ...facts.result(), backend: facts.backend };
  if (exit.stderrTail.some((l) => OUT_OF_MEMORY.test(l))) {
    return failed({ code: 'out_of_memory', retryable: true, message: `${facts.display} ran out of memory (exit ${exit.signal ?? `code ${exit.code}`}).${stderr}` });
  }
  if (exit.signal) {
    const hint = exit.signal === 'SIGKILL' ? ' (kill -9, or the kernel ending the largest process when the node ran out of memory: see dmesg)' : '';
    return failed({ code: 'crashed', retryable: true, message: `${facts.display} was killed by ${exit.signal}${hint}.${stderr}` });
  }
  return failed({ code: 'command_failed', retryable: true, message: `${facts.display} exited with code ${exit.code}.${stderr}` });
}

/** Keeps the end of a long message (stderr's last lines say most). */
function clip(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  const head = message.slice(0, Math.min(message.indexOf('\n') + 1 || 200, 1000));
  return `${head}…${message.slice(message.length - (MAX_MESSAGE - head.length - 1))}`;
}
