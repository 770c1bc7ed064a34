import { ApiClient } from '@ablate/contracts';
import { fileModelHandler, runTrial } from '@ablate/models';
import { startTestPostgres, startTestScheduler, type TestScheduler } from '@ablate/scheduler/testing';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ablate } from './cli-run.js';

describe('ablate trial export-model', () => {
  let stopPg: () => Promise<void>;
  let s: TestScheduler;
  let worker: ApiClient;
  let workerId: string;
  beforeAll(async () => {
    const server = await startTestPostgres();
    stopPg = server.stop;
    s = await startTestScheduler(server.adminUrl);
    const reg = await s.worker.registerWorker({ host: 'export-test', slots: 1, backends: ['cpu'] });
    workerId = reg.workerId;
    worker = new ApiClient({ baseUrl: s.url, token: s.config.workerToken, worker: reg });
  });
  afterAll(async () => {
    await s.close();
    await stopPg();
  });

  async function lease(sweepId: string) {
    const { trial } = await worker.leaseTrial(workerId);
    if (trial?.sweepId !== sweepId) throw new Error(`expected a trial of ${sweepId}, got ${JSON.stringify(trial)}`);
    return trial;
  }

  it("downloads a trial's checkpoint and writes a model.json that tf.loadLayersModel reads", async () => {
    const sweep = await s.user.createSweep({
      name: 'export', template: 'mnist-cnn', metric: { name: 'val_acc', goal: 'maximize' },
      parameters: { batchNorm: { values: [true] }, dropout: { values: [0.2] }, epochs: { values: [1] }, trainSize: { values: [64] }, validationSize: { values: [32] } },
    });
    const trial = await lease(sweep.id);
    // one real epoch, its checkpoint uploaded as the agent does
    const checkpointDir = await mkdtemp(path.join(os.tmpdir(), 'ablate-export-ckpt-'));
    await runTrial({ template: 'mnist-cnn', params: trial.params, checkpointDir });
    const chunks: Buffer[] = [];
    for await (const c of Readable.from(create({ gzip: true, cwd: checkpointDir, portable: true }, ['.']))) chunks.push(c as Buffer);
    await worker.putCheckpoint(trial.id, 1, Uint8Array.from(Buffer.concat(chunks)));

    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ablate-export-out-')), 'digits');
    const run = await ablate(['trial', 'export-model', trial.id, '--out', out, '--api', s.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(path.join(out, 'model.json'));
    expect(run.stderr).toMatch(/weights of epoch 1, input 28×28×1, scaled 0-1/);
    const model = await tf.loadLayersModel(fileModelHandler(path.join(out, 'model.json')));
    const y = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    expect(model.layers.map((l) => l.getClassName())).toContain('BatchNormalization');
    tf.dispose([y]);
    model.dispose();
  });

  it('says which templates export', async () => {
    const sweep = await s.user.createSweep({ name: 'forest', template: 'random-forest', parameters: { seed: { values: [1] } }, metric: { name: 'test_acc', goal: 'maximize' } });
    const trial = await lease(sweep.id);
    const run = await ablate(['trial', 'export-model', trial.id, '--out', os.tmpdir(), '--api', s.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/random-forest trial: only mnist-cnn and cifar10-cnn trials/);
  });
});
