/**
 * Where trial checkpoints live between attempts, so a trial resumes on any node: the scheduler's
 * store (default), S3-compatible object storage, or a folder every node mounts. The agent packs a
 * trial's checkpoint folder after each checkpoint its process reports (`CheckpointUploads`) and
 * restores it before it launches a resumed trial.
 */
export interface ArtifactStore {
  /** Where checkpoints go, for logs (e.g. `the scheduler`, `s3://bucket/prefix`). */
  readonly name: string;
  /** Stores `localDir` as the trial's latest checkpoint, taken at `step`; the previous one stays until this one is complete. */
  put(trialId: string, localDir: string, step: number): Promise<void>;
  /**
   * Restores the trial's latest checkpoint into `localDir` (replacing it) and returns its step; null,
   * with `localDir` untouched, when none is stored or the stored one is not newer than `newerThan`
   * (the step of a checkpoint already in `localDir`).
   */
  get(trialId: string, localDir: string, newerThan: number | null): Promise<number | null>;
  /** Removes the trial's checkpoint (nothing when there is none). */
  delete(trialId: string): Promise<void>;
  /** True when a failed call may succeed if tried again later (store unreachable, 5xx); false when it never will (lease lost, too large). */
  isTransient(err: unknown): boolean;
}
