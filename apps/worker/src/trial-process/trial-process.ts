import type { LeasedTrial, TrialErrorInfo, TrialLogStream } from '@ablate/contracts';

/**
 * The seam between the agent (leasing, heartbeats, reports, decisions) and whatever trains a
 * trial: a child process running a built-in template, or a user's command. The agent never
 * trains in its own process, so a crash, an out-of-memory or a blocking step in one trial cannot
 * stop it from heartbeating or take down its other trials.
 */

/** What a launcher needs to start one leased trial. */
export interface TrialLaunch {
  /** The leased trial (params, attempt, `resumeAfterStep`). */
  trial: LeasedTrial;
  /** Local folder of this trial's checkpoint; the agent restores it from the artifact store before launch. */
  checkpointDir: string;
  /** GPU indices (as the node numbers them) this trial may use; empty for a CPU slot. Sets CUDA_VISIBLE_DEVICES. */
  gpus: number[];
  /** Folders dataset and model paths must stay inside (ABLATE_DATA_ROOTS). */
  dataRoots: string[];
  /** Environment the child starts from (the agent's, minus its secrets). */
  env: NodeJS.ProcessEnv;
}

/** Something a running trial says, in order. */
export type TrialEvent =
  /** Metrics of one step (epoch); the agent reports them. */
  | { type: 'epoch'; step: number; metrics: Record<string, number>; backend?: string }
  /** The checkpoint folder is consistent at this step; the agent may upload it. */
  | { type: 'checkpoint'; step: number }
  /** One line for the trial's log tail: the child's stdout or stderr, or the launcher's own note (`agent`: a malformed metric line, a refused value). */
  | { type: 'log'; stream: TrialLogStream; line: string };

/** How a trial's process ended. */
export type TrialOutcome =
  /** `scoreStep`: the epoch whose weights the final metrics were measured on, when the trainer says. */
  | { type: 'completed'; step: number; scoreStep?: number; metrics: Record<string, number>; backend?: string }
  | { type: 'failed'; error: TrialErrorInfo; exitCode: number | null; signal: NodeJS.Signals | null }
  /** Ended because the agent stopped it (`stop`), e.g. a cancel, prune, pause or shutdown. */
  | { type: 'stopped' };

/** A trial being trained by some process. */
export interface RunningTrial {
  /** Pid of the process (for logs and tests). */
  readonly pid: number | undefined;
  /** Subscribes to the trial's events; events emitted before subscribing are buffered and replayed. */
  onEvent(listener: (event: TrialEvent) => void): void;
  /** Resolves once the process has exited and every event has been delivered. */
  readonly outcome: Promise<TrialOutcome>;
  /** SIGTERM (a template child checkpoints and exits), then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs: number): Promise<void>;
}

/** Starts a trial's process. One per kind of trial (built-in templates, commands). */
export type TrialLauncher = (launch: TrialLaunch) => RunningTrial;
