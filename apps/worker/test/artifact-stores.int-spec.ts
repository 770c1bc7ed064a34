import S3rver from '@20minutes/s3rver';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ArtifactStore } from '../src/artifacts/artifact-store.js';
import { FolderArtifactStore } from '../src/artifacts/folder-artifact-store.js';
import { S3ArtifactStore } from '../src/artifacts/s3-artifact-store.js';
import { SchedulerArtifactStore } from '../src/artifacts/scheduler-artifact-store.js';
import { SchedulerConnection } from '../src/scheduler-connection.js';

/** Every file under `dir` with its bytes, for comparing two folders. */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const bytes = await readFile(path.join(dir, name)).catch(() => null); // folders
    if (bytes) out[name] = bytes.toString('base64');
  }
  return out;
}

describe('artifact stores: a checkpoint folder goes in and comes back whole, on any node', () => {
  let tmp: string;
  let s: TestScheduler;
  let s3: S3rver;
  const stores: Record<string, ArtifactStore> = {};
  let trialId: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ablate-stores-'));
    s = await startTestScheduler(inject('pgAdminUrl'));
    await s.user.createSweep({ name: 'stores', template: 'mnist-cnn', parameters: { seed: { value: 1 } }, metric: { name: 'val_acc', goal: 'maximize' } });
    const connection = new SchedulerConnection({ apiUrl: s.url, token: TEST_WORKER_TOKEN, registration: { host: 'node-a', slots: 1, backends: ['cpu'] }, log: () => undefined });
    await connection.register();
    trialId = (await connection.api.leaseTrial(connection.workerId)).trial!.id; // the scheduler store needs the lease
    stores['scheduler'] = new SchedulerArtifactStore({ apiUrl: s.url, token: TEST_WORKER_TOKEN, connection });

    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(tmp, 's3'), configureBuckets: [{ name: 'ablate-test' }] });
    const { port } = await s3.run();
    // s3rver's default account; a real deployment takes credentials from the AWS environment.
    stores['s3'] = new S3ArtifactStore({ bucket: 'ablate-test', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    stores['folder'] = new FolderArtifactStore(path.join(tmp, 'shared'));
  });
  afterAll(async () => {
    (stores['s3'] as S3ArtifactStore | undefined)?.close();
    await s3?.close();
    await s?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  for (const kind of ['scheduler', 's3', 'folder']) {
    it(`${kind}: round trip, newer-than, replace and delete`, async () => {
      const store = stores[kind]!;
      const source = path.join(tmp, kind, 'node-a');
      await mkdir(path.join(source, 'nested'), { recursive: true });
      await writeFile(path.join(source, 'checkpoint.json'), JSON.stringify({ epoch: 2 }));
      await writeFile(path.join(source, 'nested', 'tensors-2.bin'), randomBytes(6 * 1024 * 1024)); // above lib-storage's 5 MB part: a multipart upload on S3
      await store.put(trialId, source, 2);

      // Node B has its own folder, with something stale in it: it is replaced whole.
      const target = path.join(tmp, kind, 'node-b');
      await mkdir(target, { recursive: true });
      await writeFile(path.join(target, 'stale.bin'), 'old');
      expect(await store.get(trialId, target, null)).toBe(2);
      expect(await contents(target)).toEqual(await contents(source));

      // Not newer than what node B has: nothing downloaded, nothing touched.
      await writeFile(path.join(target, 'marker'), 'b');
      expect(await store.get(trialId, target, 2)).toBeNull();
      expect(await readFile(path.join(target, 'marker'), 'utf8')).toBe('b');

      await writeFile(path.join(source, 'checkpoint.json'), JSON.stringify({ epoch: 3 }));
      await store.put(trialId, source, 3);
      expect(await store.get(trialId, target, 2)).toBe(3);
      expect(JSON.parse(await readFile(path.join(target, 'checkpoint.json'), 'utf8'))).toEqual({ epoch: 3 });

      await store.delete(trialId);
      expect(await store.get(trialId, path.join(tmp, kind, 'node-c'), null)).toBeNull();
    });
  }

  it('tells a store that is away from a refusal', async () => {
    expect(stores['s3']!.isTransient(Object.assign(new Error('connect ECONNREFUSED'), { $metadata: {} }))).toBe(true);
    expect(stores['s3']!.isTransient(Object.assign(new Error('AccessDenied'), { $metadata: { httpStatusCode: 403 } }))).toBe(false);
    const other = new SchedulerConnection({ apiUrl: s.url, token: TEST_WORKER_TOKEN, registration: { host: 'node-b', slots: 1, backends: ['cpu'] }, log: () => undefined });
    await other.register();
    const notHolder = new SchedulerArtifactStore({ apiUrl: s.url, token: TEST_WORKER_TOKEN, connection: other });
    const folder = path.join(tmp, 'refused');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'weights.bin'), randomBytes(2 * 1024 * 1024)); // still uploading when the refusal comes
    const refused = await notHolder.put(trialId, folder, 9).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'lease_not_held' });
    expect(notHolder.isTransient(refused)).toBe(false);
  });
});
