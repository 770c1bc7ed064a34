import { ApiError, CHECKPOINT_STEP_HEADER, WORKER_IDENTITY_HEADER, type LeasedTrial } from '@ablate/contracts';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { ArtifactJanitor } from '../src/modules/artifacts/artifact-janitor.service.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

const MAX_BYTES = 256 * 1024;

describe('checkpoints in the scheduler artifact store', () => {
  let s: TestScheduler;
  let a: RegisteredWorker;
  let b: RegisteredWorker;
  let trial: LeasedTrial;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'), { clock, config: { maxCheckpointBytes: MAX_BYTES, checkpointKeepDays: 7 } });
    a = await registerWorker(s, 'node-a');
    b = await registerWorker(s, 'node-b');
    await s.user.createSweep({ name: 'ckpt', template: 'mnist-cnn', parameters: { seed: { values: [1, 2] } }, metric: { name: 'val_acc', goal: 'maximize' } });
    trial = (await a.api.leaseTrial(a.workerId)).trial!;
  });
  afterAll(async () => s.close());

  const code = (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => (err instanceof ApiError ? err.code : String(err)));
  const bytesOf = async (got: { archive: ReadableStream<Uint8Array> } | null) => (got ? Buffer.from(await new Response(got.archive).arrayBuffer()) : null);
  const folder = () => path.join(s.config.artifactsDir!, trial.id);

  /** A PUT on a raw socket that sends `parts` and then either ends the request or cuts the connection. */
  function rawPut(parts: Buffer[], end: 'end' | 'cut', headers: Record<string, string> = {}): Promise<number | 'cut'> {
    return new Promise((resolve) => {
      const req = http.request(`${s.url}/api/trials/${trial.id}/checkpoint`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${s.config.workerToken}`, [WORKER_IDENTITY_HEADER]: `${a.workerId}:${a.workerSecret}`, 'content-type': 'application/gzip', [CHECKPOINT_STEP_HEADER]: '9', ...headers },
      });
      req.on('response', (res) => resolve(res.resume().statusCode ?? 0));
      req.on('error', () => resolve('cut'));
      for (const part of parts) req.write(part);
      if (end === 'end') req.end();
      else setTimeout(() => req.destroy(), 100); // the bytes are on their way; then the connection drops
    });
  }

  it('stores what the holder uploads and gives it back with its step; nobody else reads or writes it', async () => {
    expect(await a.api.getCheckpoint(trial.id)).toBeNull(); // none yet
    const first = gzipSync(randomBytes(50_000));
    const info = await a.api.putCheckpoint(trial.id, 1, new Uint8Array(first));
    expect(info).toMatchObject({ trialId: trial.id, step: 1, bytes: first.length });
    const got = await a.api.getCheckpoint(trial.id);
    expect(got?.step).toBe(1);
    expect((await bytesOf(got))!.equals(first)).toBe(true);

    expect(await code(b.api.putCheckpoint(trial.id, 2, new Uint8Array(gzipSync(Buffer.from('intruder')))))).toBe('lease_not_held');
    expect(await code(b.api.getCheckpoint(trial.id))).toBe('lease_not_held');
    expect(await code(b.api.deleteCheckpoint(trial.id))).toBe('lease_not_held');
    expect(await code(s.worker.putCheckpoint(trial.id, 2, new Uint8Array(first)))).toBe('unauthorized'); // pool token without an identity
    expect(await code(a.api.putCheckpoint('00000000-0000-4000-8000-000000000000', 1, new Uint8Array(first)))).toBe('trial_not_found');
    expect((await bytesOf(await a.api.getCheckpoint(trial.id)))!.equals(first)).toBe(true);
  });

  it('keeps the previous checkpoint when an upload is cut, truncated, too large, not gzip or without its step', async () => {
    const kept = gzipSync(randomBytes(20_000));
    await a.api.putCheckpoint(trial.id, 3, new Uint8Array(kept));
    const next = gzipSync(randomBytes(100_000));
    const half = next.subarray(0, next.length / 2);

    expect(await rawPut([half], 'cut')).toBe('cut'); // the worker died mid-upload
    expect(await rawPut([half], 'end')).toBe(400); // the body ended cleanly, but the archive is cut
    expect(await rawPut([gzipSync(randomBytes(MAX_BYTES + 1))], 'end')).toBe(413);
    // Streamed without a length, as the worker sends it: it reads the refusal (not a reset it would retry).
    const big = gzipSync(randomBytes(MAX_BYTES * 2));
    const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
      start(c) {
        for (let i = 0; i < big.length; i += 16_384) c.enqueue(new Uint8Array(big.subarray(i, i + 16_384)));
        c.close();
      },
    });
    expect(await code(a.api.putCheckpoint(trial.id, 10, stream))).toBe('payload_too_large');
    expect(await code(a.api.putCheckpoint(trial.id, 10, new Uint8Array(randomBytes(MAX_BYTES / 2))))).toBe('validation_failed'); // not a gzip
    expect(await rawPut([Buffer.from('{"not":"gzip"}')], 'end', { 'content-type': 'application/json' })).toBe(415);
    expect(await rawPut([next], 'end', { [CHECKPOINT_STEP_HEADER]: 'latest' })).toBe(400);
    // The cut upload's temp file is gone once the scheduler noticed the connection drop.
    await vi.waitFor(async () => expect((await readdir(folder())).filter((f) => f.endsWith('.tmp'))).toEqual([]));

    const got = await a.api.getCheckpoint(trial.id);
    expect(got?.step).toBe(3);
    expect((await bytesOf(got))!.equals(kept)).toBe(true);
    expect((await readdir(folder())).filter((f) => f.startsWith('checkpoint-'))).toHaveLength(1);
  });

  it('lets users download it, and removes it once the trial will not run again', async () => {
    const res = await fetch(`${s.url}/api/trials/${trial.id}/checkpoint/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get(CHECKPOINT_STEP_HEADER)).toBe('3');
    expect(res.headers.get('content-disposition')).toContain(`trial-${trial.id}-step-3.tar.gz`);
    const other = (await s.user.getSweep(trial.sweepId)).trials.find((t) => t.id !== trial.id)!;
    expect((await fetch(`${s.url}/api/trials/${other.id}/checkpoint/download`)).status).toBe(404); // none stored

    const janitor = s.app.get(ArtifactJanitor);
    expect(await janitor.sweep()).toEqual([]); // a running trial keeps its checkpoint
    await s.user.cancelTrial(trial.id);
    expect(await code(a.api.putCheckpoint(trial.id, 4, new Uint8Array(gzipSync(Buffer.from('late')))))).toBe('trial_finished');
    expect(await janitor.sweep()).toEqual([trial.id]);
    expect(await code(a.api.getCheckpoint(trial.id))).toBe('trial_finished');
    expect((await fetch(`${s.url}/api/trials/${trial.id}/checkpoint/download`)).status).toBe(404);
  });

  it("keeps a completed trial's checkpoint for the days configured, then removes it", async () => {
    const next = (await b.api.leaseTrial(b.workerId)).trial!;
    await b.api.putCheckpoint(next.id, 1, new Uint8Array(gzipSync(Buffer.from('model'))));
    await b.api.report(next.id, { type: 'completed', workerId: b.workerId, step: 1, metrics: { val_acc: 0.5 } });
    expect(await code(b.api.deleteCheckpoint(next.id))).toBe('lease_not_held'); // a finished model is not the worker's to remove
    const janitor = s.app.get(ArtifactJanitor);
    expect(await janitor.sweep()).toEqual([]);
    clock.advance(8 * 86_400_000);
    expect(await janitor.sweep()).toEqual([next.id]);
  });
});
