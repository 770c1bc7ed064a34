import type { TrialLogLine } from '@ablate/contracts';

/** Lines the page keeps: the scheduler's own bound on a trial's tail. */
export const MAX_LOG_LINES = 500;

/**
 * Adds pushed lines to the tail: a line already there (the subscription's ack and a push may
 * overlap after a reconnect) is kept once, the order is (attempt, seq), and only the last
 * `MAX_LOG_LINES` stay.
 */
export function mergeLogLines(current: readonly TrialLogLine[], incoming: readonly TrialLogLine[]): TrialLogLine[] {
  if (incoming.length === 0) return current as TrialLogLine[];
  const byKey = new Map(current.map((l) => [`${l.attempt}:${l.seq}`, l]));
  for (const line of incoming) byKey.set(`${line.attempt}:${line.seq}`, line);
  const merged = [...byKey.values()].sort((a, b) => a.attempt - b.attempt || a.seq - b.seq);
  return merged.slice(-MAX_LOG_LINES);
}
