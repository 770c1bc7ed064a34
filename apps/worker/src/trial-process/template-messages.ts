import type { LeasedTrial, TrialErrorInfo } from '@ablate/contracts';
import type { TrialEvent } from './trial-process.js';

/**
 * The IPC messages between the agent and a template child (`template-child.ts`). Both ends are this
 * package, built together, so plain types do: nothing outside the agent speaks this protocol (the
 * scheduler's contracts live in @ablate/contracts).
 */

/** Agent → child: the one message it gets, right after it starts. */
export interface StartTrialMessage {
  type: 'start';
  trial: LeasedTrial;
  checkpointDir: string;
  dataRoots: string[];
}

/** Child → agent. */
export type ChildMessage =
  /** Something the trial says (an epoch's metrics, a checkpoint written, a log line). */
  | { type: 'event'; event: TrialEvent }
  /** Still alive (every few seconds from a timer: a blocked event loop stops it, which the hang watchdog notices). */
  | { type: 'alive' }
  /** Training ended: its final metrics. */
  | { type: 'completed'; step: number; scoreStep?: number; metrics: Record<string, number>; backend: string }
  /** Training failed, typed by the models package. */
  | { type: 'failed'; error: TrialErrorInfo }
  /** Training stopped on SIGTERM; the last checkpoint is kept. */
  | { type: 'stopped' }
  /** Answer to `--probe-backend`: the TF.js backend this node's children train on. */
  | { type: 'backend'; name: string };

/** `argv[2]` that makes a template child report its backend and exit instead of training. */
export const PROBE_BACKEND_ARG = '--probe-backend';

/** How often a child says it is alive. */
export const ALIVE_INTERVAL_MS = 1_000;

export function isChildMessage(m: unknown): m is ChildMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
