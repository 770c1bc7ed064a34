import type { WorkerSlot, WorkerSummary } from '@ablate/contracts';

/**
 * A worker silent for longer than this is shown as lost even before the scheduler says so (the
 * scheduler marks it lost after the lease TTL, 60 s by default, but pushes that only on its next
 * pass); it turns live again with its next heartbeat.
 */
export const LOST_AFTER_MS = 60_000;

/** Puts a pushed worker into the list (replacing its older copy), most recently seen first as `GET /api/workers` orders them. */
export function upsertWorker(list: readonly WorkerSummary[], worker: WorkerSummary): WorkerSummary[] {
  const rest = list.filter((w) => w.id !== worker.id);
  return [...rest, worker].sort((a, b) => b.lastHeartbeatAt.localeCompare(a.lastHeartbeatAt));
}

/** `lost` when the scheduler says so or the worker has been silent for `LOST_AFTER_MS`. */
export function workerState(worker: WorkerSummary, now: number): 'live' | 'lost' {
  if (worker.state === 'lost') return 'lost';
  const seen = Date.parse(worker.lastHeartbeatAt);
  return Number.isFinite(seen) && now - seen > LOST_AFTER_MS ? 'lost' : 'live';
}

/**
 * The worker's slots and what each runs: from its last heartbeat's telemetry, or, for an agent
 * that sends none, `slots` unnamed slots of which `leases` are busy (trials unknown).
 */
export function workerSlots(worker: WorkerSummary): { slots: WorkerSlot[]; busy: number; known: boolean } {
  const reported = worker.telemetry?.slots;
  if (reported && reported.length > 0) return { slots: reported, busy: reported.filter((s) => s.trialId).length, known: true };
  const slots = Array.from({ length: worker.slots }, (_, i) => ({ name: `slot ${i + 1}`, gpus: [], trialId: null }));
  return { slots, busy: Math.min(worker.leases, worker.slots), known: false };
}

/** Slots a card lists one by one before it counts the free ones instead. */
export const MAX_LISTED_SLOTS = 16;

/**
 * What a card lists: every slot of a small node; on a bigger one every busy slot (with its trial)
 * and free slots up to `MAX_LISTED_SLOTS` in all, the other free ones counted (`freeNotListed`): a
 * 64-slot CPU node was a screen of "free".
 */
export function listedSlots(worker: WorkerSummary): { slots: (WorkerSlot & { busy: boolean })[]; freeNotListed: number } {
  const { slots, busy, known } = workerSlots(worker);
  const marked = slots.map((slot, i) => ({ ...slot, busy: slot.trialId !== null || (!known && i < busy) }));
  if (marked.length <= MAX_LISTED_SLOTS) return { slots: marked, freeNotListed: 0 };
  const busySlots = marked.filter((s) => s.busy);
  const room = Math.max(0, MAX_LISTED_SLOTS - busySlots.length);
  const keep = new Set([...busySlots, ...marked.filter((s) => !s.busy).slice(0, room)]);
  return { slots: marked.filter((s) => keep.has(s)), freeNotListed: marked.length - keep.size };
}

/** `1.5 GiB` */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** A share 0-100 of `used` in `total`, or null when the total is unknown. */
export function percentOf(used: number | null, total: number): number | null {
  if (used === null || total <= 0) return null;
  return Math.min(100, Math.max(0, (used / total) * 100));
}

/**
 * The command-trials badge: what the worker says about `ABLATE_ALLOW_COMMANDS`, or null when its
 * answer predates the field (an older scheduler): saying "no" then would be a guess.
 */
export function commandsBadge(worker: WorkerSummary): { text: string; title: string; allowed: boolean } | null {
  if (worker.commands === undefined) return null;
  return worker.commands
    ? { text: 'commands', title: 'Runs command trials (ABLATE_ALLOW_COMMANDS is on) as well as templates.', allowed: true }
    : { text: 'no commands', title: 'Runs templates only: start its agent with ABLATE_ALLOW_COMMANDS=1 to let it run command trials.', allowed: false };
}
