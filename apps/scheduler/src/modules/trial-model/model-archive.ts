import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, create } from 'tar';

/** The files of the TF.js model the CNN templates keep in their checkpoint folder (`model/`). */
const MODEL_FILES = ['model.json', 'weights.bin', 'ablate-model.json'];
/** Larger than any model the built-in templates train (the course CNN's is ~5 MB). */
const MAX_MODEL_BYTES = 512 * 1024 * 1024;

/** The `model/` files of a checkpoint archive (a gzipped tar), by name; empty when it has none. */
export async function readModelFiles(checkpoint: Readable): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  let total = 0;
  const parser = new Parser({
    onReadEntry: (entry) => {
      const name = entry.path.replace(/^\.\//, '');
      const base = name.startsWith('model/') ? name.slice('model/'.length) : null;
      if (entry.type !== 'File' || base === null || !MODEL_FILES.includes(base)) return entry.resume();
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => {
        total += c.length;
        if (total <= MAX_MODEL_BYTES) chunks.push(c);
      });
      entry.on('end', () => files.set(base, Buffer.concat(chunks)));
    },
  });
  await pipeline(checkpoint, parser as unknown as Writable);
  if (total > MAX_MODEL_BYTES) throw new Error(`the checkpoint's model is larger than ${MAX_MODEL_BYTES} bytes`);
  return files;
}

/** `files` packed as a gzipped tar (model.json, weights.bin, ablate-model.json at its root). */
export async function packModel(files: Map<string, Buffer>): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ablate-model-'));
  try {
    for (const [name, data] of files) await writeFile(path.join(dir, name), data);
    await create({ gzip: true, cwd: dir, portable: true, file: path.join(dir, 'model.tar.gz') }, [...files.keys()]);
    return await readFile(path.join(dir, 'model.tar.gz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
