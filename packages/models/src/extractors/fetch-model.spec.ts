import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile, stat, readdir, mkdir, copyFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFolder, type ModelServer } from '../testing/model-server.js';
import { useTestBackend } from '../testing/use-test-backend.js';
import { fileModelHandler } from '../templates/model-files.js';
import { describeCause } from './model-download.js';
import { sha256Of } from './cached-model.js';
import { fetchModel } from './fetch-model.js';

let served: string;
let server: ModelServer;

useTestBackend();

/** A small conv net saved as TF.js files: model.json + weights.bin, as a public host would serve them. */
async function saveTinyModel(dir: string): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({ name: 'pool' }),
    ],
  });
  await model.save(fileModelHandler(join(dir, 'model.json')));
  model.dispose();
}

beforeAll(async () => {
  served = await mkdtemp(join(tmpdir(), 'ablate-served-'));
  await saveTinyModel(join(served, 'tiny'));
  // the same model.json whose weights file is cut short
  await mkdir(join(served, 'short'));
  await copyFile(join(served, 'tiny', 'model.json'), join(served, 'short', 'model.json'));
  await writeFile(join(served, 'short', 'weights.bin'), (await readFile(join(served, 'tiny', 'weights.bin'))).subarray(0, 20));
  server = await serveFolder(served);
});

afterAll(async () => server.close());

const cache = () => mkdtemp(join(tmpdir(), 'ablate-model-cache-'));

describe('fetchModel', () => {
  it('downloads model.json and its shards with progress lines, records their sha256, and serves the cache after', async () => {
    const cacheDir = await cache();
    const lines: string[] = [];
    const url = `${server.url}/tiny/model.json`;
    const got = await fetchModel({ name: 'tiny', url }, { cacheDir, log: (l) => lines.push(l) });
    expect(got.path).toBe(join(cacheDir, 'tiny', 'model.json'));
    expect(lines).toContain('tiny/weights.bin: 100%');
    expect(lines.some((l) => l.startsWith('tiny/model.json: downloading'))).toBe(true);
    expect(got.sha256['weights.bin']).toBe(await sha256Of(join(served, 'tiny', 'weights.bin')));
    const record = JSON.parse(await readFile(join(cacheDir, 'tiny', 'checksums.json'), 'utf8')) as { sha256: Record<string, string> };
    expect(record.sha256).toEqual(got.sha256);
    expect((await readdir(join(cacheDir, 'tiny'))).filter((f) => f.endsWith('.part'))).toEqual([]);
    const model = await tf.loadLayersModel(fileModelHandler(got.path));
    expect(model.inputs[0]!.shape).toEqual([null, 16, 16, 3]);
    model.dispose();

    const before = server.requests.get('/tiny/weights.bin');
    await fetchModel({ name: 'tiny', url }, { cacheDir });
    expect(server.requests.get('/tiny/weights.bin')).toBe(before);
  });

  it('fetches again a cached file whose checksum no longer matches', async () => {
    const cacheDir = await cache();
    const url = `${server.url}/tiny/model.json`;
    await fetchModel({ name: 'tiny', url }, { cacheDir });
    const weights = join(cacheDir, 'tiny', 'weights.bin');
    const bytes = await readFile(weights);
    bytes[3] = bytes[3]! ^ 0xff;
    await writeFile(weights, bytes);
    const lines: string[] = [];
    const before = server.requests.get('/tiny/weights.bin') ?? 0;
    await fetchModel({ name: 'tiny', url }, { cacheDir, log: (l) => lines.push(l) });
    expect(lines.some((l) => /cached weights\.bin is corrupt \(sha256 .*expected/.test(l))).toBe(true);
    expect(server.requests.get('/tiny/weights.bin')).toBe(before + 1);
    expect(await sha256Of(weights)).toBe(await sha256Of(join(served, 'tiny', 'weights.bin')));
  });

  it('refuses a download that does not match a pinned sha256, or whose shards do not fill the manifest', async () => {
    const cacheDir = await cache();
    const url = `${server.url}/tiny/model.json`;
    const wrong = '0'.repeat(64);
    await expect(fetchModel({ name: 'tiny', url, sha256: { 'weights.bin': wrong } }, { cacheDir })).rejects.toThrow(
      `${server.url}/tiny/weights.bin: checksum mismatch: expected sha256 ${wrong}, got`,
    );
    expect(await stat(join(cacheDir, 'tiny', 'model.json')).catch(() => null)).toBeNull();
    await expect(fetchModel({ name: 'short', url: `${server.url}/short/model.json` }, { cacheDir })).rejects.toThrow(/weight shards weights\.bin hold 20 bytes, the manifest describes 448/);
  });

  it('names the URL and the cause when the host refuses, answers 404, or cannot be resolved', async () => {
    const cacheDir = await cache();
    const missing = `${server.url}/missing/model.json`;
    await expect(fetchModel({ name: 'gone', url: missing }, { cacheDir })).rejects.toThrow(`${missing}: cannot download extractor "gone": HTTP 404 Not Found`);
    const port = await closedPort();
    const refused = `http://127.0.0.1:${port}/m/model.json`;
    await expect(fetchModel({ name: 'off', url: refused }, { cacheDir })).rejects.toThrow(`${refused}: cannot download extractor "off": ECONNREFUSED`);
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND storage.example'), { code: 'ENOTFOUND' });
    expect(describeCause(dns)).toBe('ENOTFOUND (getaddrinfo ENOTFOUND storage.example)');
  });

  it('adopts a model folder copied into the cache by hand (an offline worker)', async () => {
    const cacheDir = await cache();
    await mkdir(join(cacheDir, 'copied'));
    for (const f of ['model.json', 'weights.bin']) await copyFile(join(served, 'tiny', f), join(cacheDir, 'copied', f));
    const lines: string[] = [];
    const got = await fetchModel({ name: 'copied', url: 'http://127.0.0.1:9/never/model.json' }, { cacheDir, log: (l) => lines.push(l) });
    expect(got.path).toBe(join(cacheDir, 'copied', 'model.json'));
    expect(lines).toEqual([`extractor copied: using the copy in ${join(cacheDir, 'copied')} (checksums recorded now)`]);
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}
