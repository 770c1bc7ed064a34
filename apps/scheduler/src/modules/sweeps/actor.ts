import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ACTOR_HEADER } from '@ablate/contracts';
import type { Request } from 'express';

/** Characters of a client's name kept in an event. */
export const MAX_ACTOR_NAME = 100;

/** Control, format and separator characters: nothing a name needs, and some could forge log lines. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * Who acts, as events record it: the `X-Ablate-Actor` name a client sent (percent-decoded, made
 * printable, at most 100 characters; "someone" without one) and the address it came from, e.g.
 * `alice (127.0.0.1)`. Not authenticated until teams exist: the address is the part a client
 * cannot choose.
 */
export function actorOf(header: string | string[] | undefined, address: string | undefined): string {
  const raw = (Array.isArray(header) ? header[0] : header) ?? '';
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // not percent-encoded (or broken): keep it as sent
  }
  const name = [...decoded.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim()].slice(0, MAX_ACTOR_NAME).join('').trim();
  const from = (address ?? '').replace(/^::ffff:/, '') || 'unknown address';
  return `${name || 'someone'} (${from})`;
}

/** The acting client of a request (see `actorOf`), for steering routes. */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return actorOf(req.headers[ACTOR_HEADER], req.socket.remoteAddress);
});
