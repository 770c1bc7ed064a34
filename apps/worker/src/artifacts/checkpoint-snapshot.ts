import { cp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Copies tried before giving up on one checkpoint (the next one will be tried instead). */
const ATTEMPTS = 3;

/**
 * Copies a checkpoint folder that its trial may be rewriting right now into `dest`, and returns
 * true only when nothing in it changed while it was copied (names, sizes and modification times
 * are the same before and after). The trial keeps training while its last checkpoint uploads, so
 * packing the live folder could mix two epochs; a copy takes milliseconds, an upload seconds.
 * A plain copy, not hard links: a program that rewrites its checkpoint in place (`torch.save` to the
 * same file) would change a linked file under the upload. False when the folder is missing or
 * kept changing.
 */
export async function snapshotCheckpoint(source: string, dest: string): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await listing(source);
    if (before === null) return false;
    await rm(dest, { recursive: true, force: true });
    try {
      await cp(source, dest, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    } catch (err) {
      // A file removed between listing and copying (the trial moved to its next epoch): try again.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      continue;
    }
    if ((await listing(source)) === before) return true;
  }
  await rm(dest, { recursive: true, force: true });
  return false;
}

/** Every file under `dir` with its size and modification time, as one comparable string; null when `dir` is missing. */
async function listing(dir: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const lines: string[] = [];
  for (const name of names.sort()) {
    const info = await stat(path.join(dir, name)).catch(() => null);
    lines.push(info ? `${name}:${info.size}:${info.mtimeMs}:${info.ino}` : `${name}:gone`);
  }
  return lines.join('\n');
}
