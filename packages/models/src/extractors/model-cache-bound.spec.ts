import { mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveFolder, type ModelServer } from '../testing/model-server.js';
import { fetchModel } from './fetch-model.js';

let server: ModelServer;
/** Bytes of the served model's files. */
let served = 0;

/** A model.json with one 4-float weights shard: all fetchModel checks, no TF.js needed. */
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ablate-bound-served-'));
  await mkdir(join(dir, 'm'));
  const json = { modelTopology: { class_name: 'Sequential' }, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] }] };
  await writeFile(join(dir, 'm', 'model.json'), JSON.stringify(json));
  await writeFile(join(dir, 'm', 'weights.bin'), Buffer.alloc(16, 7));
  served = (await stat(join(dir, 'm', 'model.json'))).size + 16;
  server = await serveFolder(dir);
});

afterAll(async () => server.close());
afterEach(() => vi.unstubAllEnvs());

describe('model cache under the size bound', () => {
  it('removes the least recently used model for a new one, and downloads an evicted one again on its next use', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'ablate-bound-models-'));
    // Room for one model folder (its files and checksums.json), not two.
    vi.stubEnv('ABLATE_CACHE_MAX_GB', ((served * 1.5) / 1e9).toFixed(9));
    const url = `${server.url}/m/model.json`;
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    await fetchModel({ name: 'first', url }, { cacheDir, log });
    await fetchModel({ name: 'first', url }, { cacheDir, log });
    expect(server.requests.get('/m/model.json')).toBe(1);
    await fetchModel({ name: 'second', url }, { cacheDir, log });
    expect(lines.at(-1)).toMatch(/^cache: removed the 1 least recently used models entries/);
    expect(await readdir(cacheDir)).toEqual(['second']);
    // The evicted model is fetched again, and now the other one makes room.
    const again = await fetchModel({ name: 'first', url }, { cacheDir, log });
    expect(again.path).toBe(join(cacheDir, 'first', 'model.json'));
    expect(server.requests.get('/m/model.json')).toBe(3);
    expect(await readdir(cacheDir)).toEqual(['first']);
  });
});
