import { ApiError, ErrorCode, echo, toValidationIssues, type ClientToServerEvents } from '@ablate/contracts';
import { z } from 'zod';
import { isUuid } from '../../common/zod-body.pipe.js';

/** An acknowledgement callback socket.io hands the server when the client asked for an answer. */
export type Ack = (result: unknown) => void;

const SweepId = z.string().refine(isUuid, 'must be a sweep id (a uuid)');
const TrialId = z.string().refine(isUuid, 'must be a trial id (a uuid)');

/**
 * What each client event carries before its acknowledgement, and whether it must have one: a
 * subscription answers with the current state, so one without an ack is refused.
 */
const calls = {
  'sweeps:subscribe': { args: z.tuple([]), needsAck: true },
  'sweep:subscribe': { args: z.tuple([SweepId]), needsAck: true },
  'sweep:unsubscribe': { args: z.tuple([SweepId]), needsAck: false },
  // Handled by TrialLogsGateway (modules/trial-logs) on the same namespace.
  'trial:subscribe': { args: z.tuple([TrialId]), needsAck: true },
  'trial:unsubscribe': { args: z.tuple([TrialId]), needsAck: false },
  'workers:subscribe': { args: z.tuple([]), needsAck: true },
} satisfies Record<keyof ClientToServerEvents, { args: z.ZodType<unknown[]>; needsAck: boolean }>;

export type LiveEvent = keyof typeof calls;
export type LiveArgs<E extends LiveEvent> = z.infer<(typeof calls)[E]['args']>;

/** The events a client may send, for messages that list them. */
export const LIVE_EVENTS = Object.keys(calls) as LiveEvent[];

export function isLiveEvent(event: unknown): event is LiveEvent {
  return typeof event === 'string' && Object.hasOwn(calls, event);
}

/** socket.io passes the ack as the last argument, when there is one; nothing else is a function. */
export function ackOf(args: readonly unknown[]): Ack | undefined {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as Ack) : undefined;
}

export type ParsedCall<E extends LiveEvent> = { ok: true; args: LiveArgs<E>; ack: Ack | undefined } | { ok: false; error: ApiError; ack: Ack | undefined };

/** Validates one client call: its arguments against the event's tuple, and the ack it must carry. */
export function parseCall<E extends LiveEvent>(event: E, raw: readonly unknown[]): ParsedCall<E> {
  const ack = ackOf(raw);
  const args = ack ? raw.slice(0, -1) : raw;
  const spec = calls[event];
  const parsed = spec.args.safeParse(args);
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error, ['args']);
    const message = `${event} got arguments it cannot use (${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}); see ClientToServerEvents in @ablate/contracts.`;
    return { ok: false, error: new ApiError(ErrorCode.ValidationFailed, message, issues), ack };
  }
  if (spec.needsAck && !ack) {
    const message = `${event} needs an acknowledgement callback as its last argument: it answers with the current state there.`;
    return { ok: false, error: new ApiError(ErrorCode.ValidationFailed, message, [{ path: 'ack', message: 'missing' }]), ack };
  }
  return { ok: true, args: parsed.data as LiveArgs<E>, ack };
}

/** The refusal of an event the scheduler does not know. */
export function unknownEvent(event: unknown): ApiError {
  const name = typeof event === 'string' ? echo(event) : typeof event;
  return new ApiError(ErrorCode.ValidationFailed, `Unknown event "${name}"; the scheduler accepts ${LIVE_EVENTS.join(', ')}.`, [
    { path: 'event', message: 'unknown event' },
  ]);
}
