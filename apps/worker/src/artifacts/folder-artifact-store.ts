import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from './artifact-store.js';
import { packCheckpoint, unpackCheckpoint } from './checkpoint-archive.js';

/**
 * Checkpoints in a folder every node mounts (NFS), or on the one machine that runs everything:
 * `<root>/<trialId>/<step>.tar.gz`, with `latest` naming the newest. Each archive is written to a
 * temp file and renamed; then `latest` is rewritten the same way, so a reader finds a whole
 * archive or the previous one, never half of one.
 */
export class FolderArtifactStore implements ArtifactStore {
  readonly name: string;

  constructor(private readonly root: string) {
    this.name = `the folder ${root}`;
  }

  async put(trialId: string, localDir: string, step: number): Promise<void> {
    const folder = this.folder(trialId);
    await mkdir(folder, { recursive: true });
    const name = `${step}-${randomBytes(4).toString('hex')}.tar.gz`;
    const temp = path.join(folder, `.${name}.tmp`);
    try {
      await pipeline(packCheckpoint(localDir), createWriteStream(temp, { flush: true }));
      await rename(temp, path.join(folder, name));
      const previous = await this.latest(trialId);
      await writeFile(path.join(folder, 'latest.tmp'), JSON.stringify({ file: name, step }), { flush: true });
      await rename(path.join(folder, 'latest.tmp'), path.join(folder, 'latest'));
      if (previous && previous.file !== name) await rm(path.join(folder, previous.file), { force: true });
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(trialId: string, localDir: string, newerThan: number | null): Promise<number | null> {
    const latest = await this.latest(trialId);
    if (!latest || (newerThan !== null && latest.step <= newerThan)) return null;
    await unpackCheckpoint(createReadStream(path.join(this.folder(trialId), latest.file)), localDir);
    return latest.step;
  }

  async delete(trialId: string): Promise<void> {
    await rm(this.folder(trialId), { recursive: true, force: true });
  }

  isTransient(err: unknown): boolean {
    // An NFS mount that went away answers with these; anything else (a full disk, no permission) needs a person.
    return ['EIO', 'ESTALE', 'ETIMEDOUT', 'EAGAIN'].includes((err as NodeJS.ErrnoException | null)?.code ?? '');
  }

  private folder(trialId: string): string {
    return path.join(this.root, path.basename(trialId));
  }

  private async latest(trialId: string): Promise<{ file: string; step: number } | null> {
    try {
      return JSON.parse(await readFile(path.join(this.folder(trialId), 'latest'), 'utf8')) as { file: string; step: number };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
