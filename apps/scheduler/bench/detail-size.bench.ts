/**
 * `npm run bench:detail-size`: bytes on the wire and time for a 10,000-trial sweep's ranked detail,
 * over REST (identity vs gzip) and as a socket.io subscription ack (WebSocket without vs with
 * permessage-deflate). Trials get metrics and scores first, as in a finished sweep.
 */
import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import http from 'node:http';
import type net from 'node:net';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { startTestPostgres, startTestScheduler } from '../src/testing/index.js';

const TRIALS = 10_000;
const ROUNDS = 5;

/** One GET with the given Accept-Encoding: raw body bytes as received, and ms until parsed. */
function get(url: string, encoding: string): Promise<{ bytes: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
        JSON.parse(text);
        resolve({ bytes: raw.length, ms: performance.now() - t0 });
      });
    }).on('error', reject);
  });
}

/** One sweep:subscribe ack over WebSocket: bytes the client's TCP socket read for it, and ms. */
async function subscribe(url: string, sweepId: string, deflate: boolean): Promise<{ bytes: number; ms: number }> {
  // engine.io-client's types only allow an options object; `false` is what turns deflate off.
  const perMessageDeflate = (deflate ? { threshold: 1024 } : false) as { threshold: number };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, perMessageDeflate });
  await new Promise((resolve) => socket.once('connect', () => resolve(null)));
  const tcp = (socket.io.engine.transport as unknown as { ws: { _socket: net.Socket } }).ws._socket;
  const before = tcp.bytesRead;
  const t0 = performance.now();
  await new Promise((resolve) => socket.emit('sweep:subscribe', sweepId, resolve));
  const result = { bytes: tcp.bytesRead - before, ms: performance.now() - t0 };
  socket.close();
  return result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(fn: () => Promise<{ bytes: number; ms: number }>): Promise<{ bytes: number; ms: number }> {
  await fn(); // warm-up
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await fn());
  return { bytes: median(runs.map((r) => r.bytes)), ms: median(runs.map((r) => r.ms)) };
}

const postgres = await startTestPostgres();
try {
  const s = await startTestScheduler(postgres.adminUrl);
  const sweep = await s.user.createSweep({ name: 'detail size', template: 'mnist-cnn', parameters: { seed: { values: Array.from({ length: TRIALS }, (_, i) => i) } }, metric: { name: 'val_acc', goal: 'maximize' } });
  const db = new pg.Client({ connectionString: s.config.databaseUrl });
  await db.connect();
  // A finished sweep: every trial with three metrics and a score (set directly; this measures reads).
  await db.query(
    `UPDATE trials SET status = 'completed', step = 3, score = r, finished_at = now(),
       metrics = jsonb_build_object('val_acc', r, 'val_loss', 1 - r, 'train_loss', r / 2)
     FROM (SELECT id AS tid, random() AS r FROM trials WHERE sweep_id = $1) x WHERE id = x.tid`,
    [sweep.id],
  );
  await db.end();
  const url = `${s.url}/api/sweeps/${sweep.id}`;
  const rows: [string, { bytes: number; ms: number }][] = [
    ['REST, identity (before)', await measure(() => get(url, 'identity'))],
    ['REST, gzip (after)', await measure(() => get(url, 'gzip'))],
    ['socket ack, no deflate (before)', await measure(() => subscribe(s.url, sweep.id, false))],
    ['socket ack, permessage-deflate (after)', await measure(() => subscribe(s.url, sweep.id, true))],
  ];
  console.log(`\n${TRIALS.toLocaleString('en')}-trial sweep detail, median of ${ROUNDS}:`);
  console.log('path                                      bytes on the wire     ms');
  for (const [name, r] of rows) console.log(`${name.padEnd(40)} ${r.bytes.toLocaleString('en').padStart(17)}  ${r.ms.toFixed(0).padStart(5)}`);
  await s.close();
} finally {
  await postgres.stop();
}
