import type { TrialHold } from './artifacts.repository.js';

/** Why a worker may not read or write a trial's checkpoint now. */
export type CheckpointRefusal = 'not_found' | 'finished' | 'not_held';

/** Statuses after which a trial never runs again, so its checkpoint is of no more use. */
const ABANDONED = new Set(['cancelled', 'pruned', 'failed']);

/**
 * Only the worker that holds a trial's lease reads or writes its checkpoint: the one that resumes
 * it, and the one that trains it. A paused trial is held by nobody (its checkpoint waits for a
 * promotion); a finished one takes no more uploads.
 */
export function checkpointAccess(hold: TrialHold | null, workerId: string): CheckpointRefusal | null {
  if (!hold) return 'not_found';
  if (hold.status === 'completed' || ABANDONED.has(hold.status)) return 'finished';
  if (hold.leaseOwner !== workerId) return 'not_held';
  return null;
}

/** A worker may remove a checkpoint it holds, and any checkpoint of a trial that will never run again. */
export function mayRemoveCheckpoint(hold: TrialHold, workerId: string): boolean {
  return ABANDONED.has(hold.status) || checkpointAccess(hold, workerId) === null;
}

/**
 * The retention rule the janitor applies. A checkpoint goes when its trial is gone (its sweep was
 * removed) or will never run again (cancelled, pruned, failed); a completed trial's last checkpoint
 * is its trained model, kept `keepDays` after it finished for download; queued, running and paused
 * trials keep theirs (they resume from it).
 */
export function isCheckpointExpired(hold: TrialHold | null, now: Date, keepDays: number): boolean {
  if (!hold) return true;
  if (ABANDONED.has(hold.status)) return true;
  if (hold.status !== 'completed') return false;
  const finished = hold.finishedAt?.getTime() ?? 0;
  return now.getTime() - finished >= keepDays * 86_400_000;
}
