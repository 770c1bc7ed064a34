import type { ApiErrorBody } from './errors.js';
import type { SweepDetail, SweepEvent, SweepSummary } from './sweep.schema.js';
import type { TrialSummary } from './trial.schema.js';
import type { WorkerSummary } from './worker.schema.js';
import type { TrialLogPush, TrialLogTail } from './trial-log.schema.js';

/** Socket.io namespace the dashboard connects to. */
export const LIVE_NAMESPACE = '/live';

/** Trials the `sweep:subscribe` ack carries at most: the top of the leaderboard. */
export const SUBSCRIBE_TOP_TRIALS = 200;

/** Result of a subscription: the current state, from which later events apply. */
export type SubscribeResult<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };

/** Events the scheduler pushes. */
export interface ServerToClientEvents {
  /** A sweep was created or changed status/counts (sent to `sweeps` subscribers and the sweep's room). */
  'sweep:updated': (sweep: SweepSummary) => void;
  /** An action on the sweep was recorded (pause, resume, stop, cancel, budget raised, ...). */
  'sweep:event': (event: SweepEvent) => void;
  /** A trial changed (status, metrics, score). Clients re-rank with `rankTrials`. */
  'trial:updated': (trial: TrialSummary) => void;
  /** A worker registered, heartbeated (gauges, slots) or was lost (sent to `workers:subscribe` subscribers). */
  'worker:updated': (worker: WorkerSummary) => void;
  /** New lines of a trial's log tail (stdout, stderr, the agent's), to the trial's subscribers. */
  'trial:log': (push: TrialLogPush) => void;
  /**
   * A client event was refused (wrong payload, unknown event) and carried no acknowledgement to
   * answer in; events with one get `{ ok: false, error }` there instead.
   */
  'request:error': (error: ApiErrorBody & { /** The event that was refused. */ event: string }) => void;
}

/**
 * Events the dashboard sends. Every one takes an acknowledgement; a malformed payload is answered
 * `{ ok: false, error: { code: 'validation_failed', ... } }` there (or by `request:error` without one).
 */
export interface ClientToServerEvents {
  /** Follow the sweep list; the ack carries the current list. */
  'sweeps:subscribe': (ack: (result: SubscribeResult<SweepSummary[]>) => void) => void;
  /**
   * Follow one sweep; the ack carries the sweep (status, counts, spec) and its top
   * `SUBSCRIBE_TOP_TRIALS` ranked trials, not every trial (`sweep.total` says how many there are;
   * page the rest with `GET /api/sweeps/:id/leaderboard`).
   */
  'sweep:subscribe': (sweepId: string, ack: (result: SubscribeResult<SweepDetail>) => void) => void;
  /** Stop following a sweep. */
  'sweep:unsubscribe': (sweepId: string) => void;
  /** Follow the worker nodes; the ack carries the list (`GET /api/workers`), then `worker:updated` pushes each change. */
  'workers:subscribe': (ack: (result: SubscribeResult<WorkerSummary[]>) => void) => void;
  /** Follow one trial's log; the ack carries its stored tail, then `trial:log` pushes the new lines. */
  'trial:subscribe': (trialId: string, ack: (result: SubscribeResult<TrialLogTail>) => void) => void;
  /** Stop following a trial's log. */
  'trial:unsubscribe': (trialId: string) => void;
}
