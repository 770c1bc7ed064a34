import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create, extract } from 'tar';

/**
 * A checkpoint folder travels as one gzipped tar: whatever files a trial keeps there (the
 * templates' manifest and tensors, a user's `model.pt`), packed as they are and unpacked into an
 * empty folder. Only files and folders are unpacked; absolute paths and `..` never leave it.
 */

/**
 * `dir`, packed as a gzipped tar stream (portable: no owner, no mode beyond the file's own), stored
 * without compression (level 0): trained float32 weights shrink by about 7 % at any level, while
 * level 6 cost the agent ~30 ms per MB, more CPU per epoch than all else it does beside a training
 * trial. gzip's CRC and length still let the scheduler refuse an archive cut midway.
 */
export function packCheckpoint(dir: string): Readable {
  return Readable.from(create({ gzip: { level: 0 }, cwd: dir, portable: true }, ['.']));
}

/** The same stream, as fetch sends it. */
export function packCheckpointForFetch(dir: string): ReadableStream<Uint8Array<ArrayBuffer>> {
  return Readable.toWeb(packCheckpoint(dir)) as ReadableStream<Uint8Array<ArrayBuffer>>;
}

/**
 * Unpacks `archive` into `dir`, replacing what was there only once all of it arrived: it goes into a
 * fresh sibling folder first, which is then renamed into place. A download cut midway leaves `dir`
 * as it was.
 */
export async function unpackCheckpoint(archive: Readable | ReadableStream<Uint8Array>, dir: string): Promise<void> {
  const source = archive instanceof Readable ? archive : Readable.fromWeb(archive);
  const staging = `${dir}.restore-${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  try {
    const unpack = extract({
      cwd: staging,
      strict: true,
      // A checkpoint is files and folders; links could point outside the trial's folder.
      filter: (_path, entry) => !('type' in entry) || entry.type === 'File' || entry.type === 'Directory',
    });
    await pipeline(source, unpack as unknown as Writable);
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
