import type { Logger } from '@nestjs/common';
import { echo, type ClientToServerEvents, type ServerToClientEvents, type SubscribeResult } from '@ablate/contracts';
import type { Socket } from 'socket.io';
import { logText, toApiError } from '../../common/to-api-error.js';
import { parseCall, type Ack, type LiveArgs, type LiveEvent } from './live-calls.js';

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * Validates a call, starts its work and answers its outcome, for every gateway on `/live`. `start`
 * runs only for valid calls; what it returns runs once, and `undo` reverts its side effects when
 * the work fails. Nothing a client sends can throw out of here.
 */
export function handleLiveCall<E extends LiveEvent>(
  logger: Logger,
  socket: LiveSocket,
  event: E,
  raw: unknown[],
  start: (args: LiveArgs<E>) => { run: () => Promise<unknown>; undo?: () => void },
): void {
  const call = parseCall(event, raw);
  if (!call.ok) return answerLiveCall(logger, socket, event, call.ack, { ok: false, error: call.error.toBody() });
  let work: ReturnType<typeof start>;
  try {
    work = start(call.args);
  } catch (err) {
    return failLiveCall(logger, socket, event, call.ack, err);
  }
  void Promise.resolve()
    .then(() => work.run())
    .then(
      (data) => answerLiveCall(logger, socket, event, call.ack, { ok: true, data }),
      (err: unknown) => {
        work.undo?.();
        failLiveCall(logger, socket, event, call.ack, err);
      },
    )
    .catch((err: unknown) => logger.error(`${event}: ${logText(err, 'stack')}`));
}

function failLiveCall(logger: Logger, socket: LiveSocket, event: string, ack: Ack | undefined, err: unknown): void {
  const { error, log } = toApiError(err);
  if (log === 'stack') logger.error(`${event}: ${logText(err, log)}`);
  if (log === 'line') logger.error(`${event}: ${error.code}: ${logText(err, log)}`);
  answerLiveCall(logger, socket, event, ack, { ok: false, error: error.toBody() });
}

/** Answers in the ack when there is one; a refusal without one goes out as `request:error`. */
export function answerLiveCall(logger: Logger, socket: LiveSocket, event: string, ack: Ack | undefined, result: SubscribeResult<unknown>): void {
  try {
    if (ack) ack(result);
    else if (!result.ok) socket.emit('request:error', { ...result.error, event: echo(event) });
  } catch (err) {
    // A socket closed mid-answer has no one to tell; the process must not go down for it.
    logger.warn(`${echo(event)}: could not answer the client: ${logText(err, 'line')}`);
  }
}
