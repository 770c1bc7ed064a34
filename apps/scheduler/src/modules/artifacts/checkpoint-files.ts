import { ApiError, ErrorCode, type CheckpointInfo } from '@ablate/contracts';
import { randomBytes } from 'node:crypto';
import { createWriteStream, type ReadStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CheckpointMeter } from './checkpoint-meter.js';

/** `current.json`: which archive of the trial's folder is the latest, and what it holds. */
interface Pointer extends CheckpointInfo {
  /** File name of the archive inside the trial's folder. */
  file: string;
  /** Worker that uploaded it. */
  workerId: string;
}

const POINTER = 'current.json';
const TEMP_SUFFIX = '.tmp';

/**
 * The scheduler's checkpoint store on disk: `<dir>/<trialId>/checkpoint-<step>-<rand>.tar.gz` plus
 * `current.json` naming the latest. An upload streams into a temp file, is checked (size limit,
 * complete gzip), fsync'd and renamed; only then does `current.json` move to it (written the same
 * way), and older archives go. So a cut connection, a crash or a refused upload leaves the previous
 * checkpoint in place, and a reader sees either the old or the new one, never a torn file.
 */
export class CheckpointFiles {
  /** Commits in progress per trial: rename, pointer and cleanup of one upload never interleave with another's. */
  private readonly commits = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  /**
   * Stores `source` as the trial's checkpoint at `step`. `stillAllowed` runs again once the upload
   * has arrived, right before it replaces the previous one (the lease may have moved meanwhile).
   */
  async write(trialId: string, source: Readable, o: { step: number; workerId: string; maxBytes: number; stillAllowed: () => Promise<void> }): Promise<CheckpointInfo> {
    const folder = this.folder(trialId);
    await mkdir(folder, { recursive: true });
    const temp = path.join(folder, `.upload-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    try {
      const meter = new CheckpointMeter(o.maxBytes);
      // `flush`: fsync'd before it closes, so the rename below never publishes data still in the page cache.
      const out = createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true });
      const closed = once(out, 'close');
      closed.catch(() => undefined);
      await pipeline(source, meter, out).catch((err: unknown) => {
        // The uploader went away mid-stream (killed, network cut): nobody is left to answer, and it is no outage of ours.
        if (source.destroyed && !(err instanceof ApiError)) throw new ApiError(ErrorCode.ValidationFailed, 'The checkpoint upload was cut before it ended; the previous checkpoint was kept.');
        throw err;
      });
      await closed;
      if (meter.refusal) throw meter.refusal;
      await meter.verified;
      return await this.serially(trialId, async () => {
        await o.stillAllowed();
        const info = { trialId, step: o.step, bytes: meter.bytes, sha256: meter.sha256(), storedAt: new Date().toISOString() };
        const name = `checkpoint-${o.step}-${randomBytes(4).toString('hex')}.tar.gz`;
        await rename(temp, path.join(folder, name));
        await this.writePointer(folder, { ...info, file: name, workerId: o.workerId });
        await syncDir(folder);
        for (const other of await readdir(folder)) {
          if (other.startsWith('checkpoint-') && other !== name) await rm(path.join(folder, other), { force: true });
        }
        return info;
      });
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** The trial's latest checkpoint, opened for reading; null when none is stored. */
  async read(trialId: string): Promise<{ info: CheckpointInfo; stream: ReadStream } | null> {
    // A commit may remove the archive between reading the pointer and opening it: read again once.
    for (let attempt = 0; attempt < 3; attempt++) {
      const pointer = await this.pointer(trialId);
      if (!pointer) return null;
      const file = path.join(this.folder(trialId), pointer.file);
      const opened = await open(file, 'r').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
      if (!opened) continue;
      const info: CheckpointInfo = { trialId: pointer.trialId, step: pointer.step, bytes: pointer.bytes, sha256: pointer.sha256, storedAt: pointer.storedAt };
      return { info, stream: opened.createReadStream() };
    }
    return null;
  }

  /** What the trial's latest checkpoint holds, without opening it; null when none is stored. */
  async info(trialId: string): Promise<CheckpointInfo | null> {
    const pointer = await this.pointer(trialId);
    return pointer ? { trialId: pointer.trialId, step: pointer.step, bytes: pointer.bytes, sha256: pointer.sha256, storedAt: pointer.storedAt } : null;
  }

  /** Removes the trial's checkpoints; false when it had none. */
  async remove(trialId: string): Promise<boolean> {
    return this.serially(trialId, async () => {
      const had = (await this.pointer(trialId)) !== null;
      await rm(this.folder(trialId), { recursive: true, force: true });
      return had;
    });
  }

  /** Trial ids that have a folder here. */
  async trialIds(): Promise<string[]> {
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
    return names.filter((n) => /^[0-9a-f-]{36}$/.test(n));
  }

  /** Removes temp files of uploads older than `olderThanMs` (left by a scheduler that died mid-upload). */
  async removeStaleUploads(trialId: string, olderThanMs: number, now: number): Promise<void> {
    const folder = this.folder(trialId);
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      const info = await stat(path.join(folder, name)).catch(() => null);
      if (info && now - info.mtimeMs > olderThanMs) await rm(path.join(folder, name), { force: true });
    }
  }

  private folder(trialId: string): string {
    // Ids are checked as uuids before they get here; this keeps a path from ever leaving `dir`.
    if (!/^[0-9a-f-]{36}$/i.test(trialId)) throw new ApiError(ErrorCode.TrialNotFound, 'Not a trial id.');
    return path.join(this.dir, trialId.toLowerCase());
  }

  private async pointer(trialId: string): Promise<Pointer | null> {
    try {
      return JSON.parse(await readFile(path.join(this.folder(trialId), POINTER), 'utf8')) as Pointer;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private async writePointer(folder: string, pointer: Pointer): Promise<void> {
    const temp = path.join(folder, `${POINTER}${TEMP_SUFFIX}`);
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(JSON.stringify(pointer));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path.join(folder, POINTER));
  }

  private serially<T>(trialId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.commits.get(trialId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    this.commits.set(trialId, settled);
    void settled.then(() => {
      if (this.commits.get(trialId) === settled) this.commits.delete(trialId);
    });
    return next;
  }
}

/** Makes a rename inside `folder` durable (the directory entry itself is written). */
async function syncDir(folder: string): Promise<void> {
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
