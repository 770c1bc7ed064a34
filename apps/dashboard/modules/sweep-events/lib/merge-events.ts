import type { SweepEvent } from '@ablate/contracts';

/** Events by id, oldest first, without duplicates (a push and a re-read may bring the same one). */
export function mergeEvents(current: readonly SweepEvent[], incoming: readonly SweepEvent[]): SweepEvent[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
