import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile, truncate, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCifar10, readCifar10 } from './cifar10.js';
import { SHARED_DATASETS } from '../testing/shared-datasets.js';

/** The offline copy the environment provides: a pre-filled data dir, never a default for users. */
const SHARED = join(SHARED_DATASETS, 'cifar-10-batches-bin');

function record(label: number, value: number): Buffer {
  const buf = Buffer.alloc(3073, value);
  buf[0] = label;
  return buf;
}

describe('CIFAR-10 download', () => {
  let archive: Buffer;
  let server: Server;
  let base: string;
  const requests: { range?: string | undefined }[] = [];
  let breakFirst = true;
  let ignoreRange = false;

  beforeAll(async () => {
    const src = await mkdtemp(join(tmpdir(), 'ablate-cifar-src-'));
    const folder = join(src, 'cifar-10-batches-bin');
    await mkdir(folder);
    for (const name of ['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']) {
      await writeFile(join(folder, name), Buffer.concat(Array.from({ length: 40 }, (_, i) => record(i % 10, i))));
    }
    await create({ gzip: true, file: join(src, 'small.tar.gz'), cwd: src }, ['cifar-10-batches-bin']);
    archive = await readFile(join(src, 'small.tar.gz'));
    server = createServer((req, res) => {
      requests.push({ range: req.headers.range });
      const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = match && !ignoreRange ? Number(match[1]) : 0;
      const body = archive.subarray(start);
      res.writeHead(start > 0 ? 206 : 200, { 'content-length': body.length, 'content-type': 'application/gzip' });
      if (breakFirst) {
        breakFirst = false;
        // end the connection gracefully (FIN, not RST) so the client surely receives the first half
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.end());
        return;
      }
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const md5 = () => createHash('md5').update(archive).digest('hex');

  it('resumes a broken download with a Range request, verifies it and extracts it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ablate-cifar-'));
    const lines: string[] = [];
    const dir = await ensureCifar10({ dataDir, url: `${base}/a.tar.gz`, md5: md5(), log: (l) => lines.push(l) });
    expect(requests[0]!.range).toBeUndefined();
    expect(requests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(lines.some((l) => l.includes('resuming'))).toBe(true);
    const set = await readCifar10(dir, ['data_batch_1.bin'], 40);
    expect(Array.from(set.labels.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(set.pixels[3 * 32 * 32 * 3]).toBe(3);
    // cached: no new request
    const before = requests.length;
    await ensureCifar10({ dataDir, url: `${base}/a.tar.gz`, md5: md5() });
    expect(requests.length).toBe(before);
  });

  it('restarts when the server ignores Range, and rejects a wrong checksum naming the URL', async () => {
    breakFirst = true;
    ignoreRange = true;
    const dataDir = await mkdtemp(join(tmpdir(), 'ablate-cifar-'));
    await ensureCifar10({ dataDir, url: `${base}/b.tar.gz`, md5: md5(), log: () => undefined });
    ignoreRange = false;
    const other = await mkdtemp(join(tmpdir(), 'ablate-cifar-'));
    await expect(ensureCifar10({ dataDir: other, url: `${base}/c.tar.gz`, md5: '0'.repeat(32), log: () => undefined }))
      .rejects.toThrow(`${base}/c.tar.gz: checksum mismatch: expected MD5 ${'0'.repeat(32)}`);
  });
});

describe('CIFAR-10 batches', () => {
  it('reads the offline copy in the official layout (course split: batch 1 train, batch 2 validation, test)', async () => {
    const dir = await ensureCifar10({ dataDir: join(SHARED, '..'), url: 'http://127.0.0.1:9/never' });
    const set = await readCifar10(dir, ['test_batch.bin'], 100);
    expect(set.count).toBe(100);
    expect(Math.max(...set.labels)).toBeLessThanOrEqual(9);
    expect(new Set(set.labels).size).toBe(10);
  });

  it('names a missing or truncated batch file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ablate-cifar-bad-'));
    await expect(readCifar10(dir, ['data_batch_1.bin'], 10)).rejects.toThrow(`${join(dir, 'data_batch_1.bin')}: missing`);
    await copyFile(join(SHARED, 'test_batch.bin'), join(dir, 'test_batch.bin'));
    await truncate(join(dir, 'test_batch.bin'), 3073 * 5 + 100);
    await expect(readCifar10(dir, ['test_batch.bin'], 5)).rejects.toThrow(/test_batch\.bin: truncated or corrupt: 15465 bytes/);
  });
});
