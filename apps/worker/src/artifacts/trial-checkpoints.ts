import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Backoff, pause, type BackoffOptions } from '../backoff.js';
import { describe } from '../scheduler-connection.js';
import type { ArtifactStore } from './artifact-store.js';
import { snapshotCheckpoint } from './checkpoint-snapshot.js';

export interface TrialCheckpointsOptions {
  store: ArtifactStore;
  trialId: string;
  /** The trial's local checkpoint folder (its process writes it). */
  checkpointDir: string;
  /** Logs a line for the trial. */
  log: (line: string) => void;
  /** Retry delays while the store is unreachable (default 0.5 s doubling to 10 s). */
  backoff?: BackoffOptions | undefined;
  /**
   * Least time between two uploads (`ABLATE_CHECKPOINT_MIN_PERIOD_S`); 0 or absent: every checkpoint
   * as it comes. A checkpoint saved sooner waits, newer ones replacing it, until the period has
   * passed or `flush` asks for the last one. For epochs of a second or two, where copying and
   * uploading every checkpoint costs a share of the node; a crash then repeats at most this much work.
   */
  minPeriodMs?: number | undefined;
}

/**
 * One trial's checkpoint between its local folder and the artifact store. Before a resumed trial
 * starts, `restore` brings the stored checkpoint when it is newer than the local one. After each
 * checkpoint its process reports, `saved` uploads the latest: one upload at a time, and when
 * epochs come faster than uploads the ones in between are skipped (only the newest matters).
 * `flush` waits for the last one before the trial is reported ended, so whichever node resumes it
 * finds it. The step of the local checkpoint is kept beside the folder (`<folder>.step`).
 */
export class TrialCheckpoints {
  private wanted: number | null = null;
  private stored: number | null = null;
  private uploading: Promise<void> | null = null;
  private refused = false;
  private unreachable = false;
  private readonly quit = new AbortController();
  /** Aborted by `flush`: the last checkpoint goes now, whatever is left of the period. */
  private readonly hurry = new AbortController();
  /** When the last upload went in (ms since the epoch), for `minPeriodMs`. */
  private lastPutAt: number | null = null;
  /** Writes of the `.step` marker, in order. */
  private marker: Promise<void> = Promise.resolve();

  constructor(private readonly o: TrialCheckpointsOptions) {}

  /** Brings the stored checkpoint into the local folder when it is newer than what is there; never throws. */
  async restore(): Promise<void> {
    const { store, trialId, checkpointDir } = this.o;
    const local = await this.localStep();
    const started = Date.now();
    try {
      const step = await store.get(trialId, checkpointDir, local);
      if (step === null) {
        if (local !== null) this.o.log(`checkpoint of step ${local} found in ${checkpointDir}; ${store.name} has none newer`);
        return;
      }
      await this.noteLocal(step);
      this.stored = step;
      this.o.log(`checkpoint of step ${step} restored from ${store.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      // Training from an older checkpoint (or the start) repeats work but loses nothing: the steps the scheduler holds are not reported again.
      this.o.log(`could not restore the checkpoint from ${store.name} (${describe(err)}); the trial starts from ${local === null ? 'the beginning' : `its local checkpoint of step ${local}`}`);
    }
  }

  /** The trial's process says its checkpoint folder is consistent at `step`: upload it (or a newer one) soon. */
  saved(step: number): void {
    void this.noteLocal(step);
    if (this.refused || this.quit.signal.aborted) return;
    this.wanted = Math.max(step, this.wanted ?? step);
    this.uploading ??= this.upload().finally(() => (this.uploading = null));
  }

  /** Waits until the last checkpoint saved is stored, the store refused it, or `abandon` was called; true when it is stored. */
  async flush(): Promise<boolean> {
    this.hurry.abort();
    const quit = new Promise<void>((resolve) => this.quit.signal.addEventListener('abort', () => resolve(), { once: true }));
    while (this.uploading && !this.quit.signal.aborted) await Promise.race([this.uploading, quit]);
    return this.wanted === null || this.stored === this.wanted;
  }

  /** Stops uploading (the agent is going away, or the trial will never run again). */
  abandon(): void {
    this.quit.abort();
  }

  /** The trial was cancelled or pruned: nothing more is uploaded, and the stored checkpoint goes. */
  async discard(): Promise<void> {
    this.abandon();
    while (this.uploading) await this.uploading;
    await this.o.store.delete(this.o.trialId).catch((err: unknown) => this.o.log(`could not remove its checkpoint from ${this.o.store.name}: ${describe(err)}`));
    await this.marker;
    await rm(`${this.o.checkpointDir}.step`, { force: true });
  }

  private async upload(): Promise<void> {
    const { store, trialId, checkpointDir } = this.o;
    const backoff = new Backoff(this.o.backoff);
    const snapshot = `${checkpointDir}.upload`;
    while (this.wanted !== null && this.wanted !== this.stored && !this.refused && !this.quit.signal.aborted) {
      const wait = this.periodLeft();
      if (wait > 0) {
        // Newer checkpoints replace this one meanwhile; the loop then uploads whichever is newest.
        this.o.log(`checkpoint of step ${this.wanted} held for ${Math.ceil(wait / 1000)} s (ABLATE_CHECKPOINT_MIN_PERIOD_S); the newest then, or the last when the trial ends, is uploaded`);
        await pause(wait, AbortSignal.any([this.quit.signal, this.hurry.signal]));
        continue;
      }
      const step = this.wanted;
      try {
        if (!(await snapshotCheckpoint(checkpointDir, snapshot))) {
          this.o.log(`checkpoint of step ${step} kept changing while it was copied; the next one will be uploaded`);
          if (this.wanted === step) return;
          continue;
        }
        await store.put(trialId, snapshot, step);
        if (this.stored === null || this.unreachable) this.o.log(`checkpoint of step ${step} stored in ${store.name}`);
        this.stored = step;
        this.lastPutAt = Date.now();
        this.unreachable = false;
        backoff.reset();
      } catch (err) {
        if (!store.isTransient(err)) {
          this.refused = true;
          this.o.log(`checkpoint of step ${step} not stored in ${store.name}: ${describe(err)}; later ones are not uploaded either`);
          return;
        }
        if (!this.unreachable) this.o.log(`could not upload the checkpoint of step ${step} to ${store.name} (${describe(err)}); retrying with backoff`);
        this.unreachable = true;
        await pause(backoff.next(), this.quit.signal);
      } finally {
        await rm(snapshot, { recursive: true, force: true });
      }
    }
  }

  /** How long the next upload must still wait under `minPeriodMs` (0: go). */
  private periodLeft(): number {
    const period = this.o.minPeriodMs ?? 0;
    if (period <= 0 || this.lastPutAt === null || this.hurry.signal.aborted) return 0;
    return Math.max(0, this.lastPutAt + period - Date.now());
  }

  /** The step of the checkpoint in the local folder, or null when there is none. */
  private async localStep(): Promise<number | null> {
    const exists = await stat(this.o.checkpointDir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) return null;
    const text = await readFile(`${this.o.checkpointDir}.step`, 'utf8').catch(() => '');
    return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
  }

  private noteLocal(step: number): Promise<void> {
    this.marker = this.marker.then(() => writeFile(`${this.o.checkpointDir}.step`, String(step)).catch(() => undefined));
    return this.marker;
  }
}
