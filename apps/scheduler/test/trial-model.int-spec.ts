import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create, extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestScheduler } from '../src/testing/index.js';
import { startWithWorker, type RegisteredWorker } from './registered-worker.js';
import { leaseFrom } from './sweep-driver.js';

/** A checkpoint folder as the CNN templates leave it (manifest, tensors, and `model/` when `withModel`), gzipped as workers upload it. */
async function checkpointArchive(withModel: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ablate-ckpt-'));
  await writeFile(path.join(dir, 'checkpoint.json'), '{"version":1}');
  await writeFile(path.join(dir, 'tensors-2.bin'), Buffer.alloc(64));
  if (withModel) {
    await mkdir(path.join(dir, 'model'));
    await writeFile(path.join(dir, 'model', 'model.json'), '{"modelTopology":{},"weightsManifest":[]}');
    await writeFile(path.join(dir, 'model', 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    await writeFile(path.join(dir, 'model', 'ablate-model.json'), '{"epoch":2}');
  }
  const chunks: Buffer[] = [];
  for await (const c of Readable.from(create({ gzip: true, cwd: dir, portable: true }, ['.']))) chunks.push(c as Buffer);
  return Uint8Array.from(Buffer.concat(chunks));
}

describe('GET /api/trials/:id/model', () => {
  let s: TestScheduler;
  let w: RegisteredWorker;

  beforeAll(async () => ({ s, w } = await startWithWorker()));
  afterAll(async () => {
    await s.close();
  });

  const get = (id: string) => fetch(`${s.url}/api/trials/${id}/model`);

  it("serves a CNN trial's model.json and weights from its stored checkpoint as a .tar.gz", async () => {
    const sweep = await s.user.createSweep({ name: 'cnn', template: 'mnist-cnn', parameters: { seed: { values: [1, 2] } }, metric: { name: 'val_acc', goal: 'maximize' } });
    const trial = await leaseFrom(w, sweep.id);
    expect((await (await get(trial.id)).json()) as { code: string }).toMatchObject({ code: 'checkpoint_not_found' });
    await w.api.putCheckpoint(trial.id, 2, await checkpointArchive(true));
    const res = await get(trial.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="trial-${trial.id}-model.tar.gz"`);
    const out = await mkdtemp(path.join(tmpdir(), 'ablate-model-out-'));
    await pipeline(Readable.from(Buffer.from(await res.arrayBuffer())), extract({ cwd: out }) as unknown as Writable);
    expect(await readFile(path.join(out, 'weights.bin'))).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(await readFile(path.join(out, 'ablate-model.json'), 'utf8')).toBe('{"epoch":2}');
    expect(JSON.parse(await readFile(path.join(out, 'model.json'), 'utf8'))).toHaveProperty('weightsManifest');

    // a checkpoint written before checkpoints carried the model says how to export it anyway
    const older = await leaseFrom(w, sweep.id);
    await w.api.putCheckpoint(older.id, 1, await checkpointArchive(false));
    const refused = await get(older.id);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { message: string }).message).toMatch(/holds no model\/ folder.*ablate trial export-model/);
  });

  it('says which templates export, and 404s an unknown trial', async () => {
    const sweep = await s.user.createSweep({ name: 'forest', template: 'random-forest', parameters: { seed: { values: [1] } }, metric: { name: 'test_acc', goal: 'maximize' } });
    const trial = await leaseFrom(w, sweep.id);
    const res = await get(trial.id);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'model_not_available', message: expect.stringMatching(/random-forest trial: only mnist-cnn and cifar10-cnn/) as unknown });
    expect(((await (await get('00000000-0000-4000-8000-000000000000')).json()) as { code: string }).code).toBe('trial_not_found');
  });
});
