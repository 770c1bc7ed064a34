import { WORKERS_NAMESPACE, type LeasedTrial, type TrialStatus, type TrialStopOrder } from '@ablate/contracts';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { TestScheduler } from '../src/testing/index.js';
import type { RegisteredWorker } from './registered-worker.js';

/** Trials counted per status from the rows, to compare with the counters a sweep row keeps. */
export async function recount(db: pg.Client, sweepId: string): Promise<Record<TrialStatus, number>> {
  const { rows } = await db.query<{ status: TrialStatus; n: number }>('SELECT status, count(*)::int AS n FROM trials WHERE sweep_id = $1 GROUP BY status', [sweepId]);
  const counts = { queued: 0, leased: 0, running: 0, paused: 0, completed: 0, pruned: 0, failed: 0, cancelled: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** Leases one trial; fails the test when none comes or it belongs to another sweep. */
export async function leaseFrom(w: RegisteredWorker, sweepId: string): Promise<LeasedTrial> {
  const { trial } = await w.api.leaseTrial(w.workerId);
  if (trial?.sweepId !== sweepId) throw new Error(`expected a trial of sweep ${sweepId}, got ${JSON.stringify(trial)}`);
  return trial;
}

/** Reports an epoch. */
export function epoch(w: RegisteredWorker, trialId: string, step: number, valAcc: number) {
  return w.api.report(trialId, { type: 'epoch', workerId: w.workerId, step, metrics: { val_acc: valAcc } });
}

/** Reports the trial completed at `step`. */
export function complete(w: RegisteredWorker, trialId: string, step: number, valAcc: number) {
  return w.api.report(trialId, { type: 'completed', workerId: w.workerId, step, metrics: { val_acc: valAcc } });
}

/**
 * Runs a sweep with one worker until nothing is left to lease: each trial leased, completed at
 * step 1 with `score(params)`. Returns the params of the trials in the order they ran.
 */
export async function runToTheEnd(w: RegisteredWorker, sweepId: string, score: (params: Record<string, unknown>) => number): Promise<Record<string, unknown>[]> {
  const ran: Record<string, unknown>[] = [];
  for (;;) {
    const { trial } = await w.api.leaseTrial(w.workerId);
    if (!trial) return ran;
    if (trial.sweepId !== sweepId) throw new Error(`leased a trial of another sweep: ${trial.sweepId}`);
    ran.push(trial.params);
    await complete(w, trial.id, 1, score(trial.params));
  }
}

/** A worker's `/workers` socket and the stop orders pushed to it. */
export interface WorkerSocket {
  orders: TrialStopOrder[];
  socket: Socket;
}

/** Connects `w` to the scheduler's `/workers` namespace with its identity, as the agent does. */
export async function connectWorkerSocket(s: TestScheduler, w: RegisteredWorker): Promise<WorkerSocket> {
  const socket = io(`${s.url}${WORKERS_NAMESPACE}`, {
    transports: ['websocket'],
    auth: { token: s.config.workerToken, worker: `${w.workerId}:${w.workerSecret}` },
    reconnection: false,
  });
  const orders: TrialStopOrder[] = [];
  socket.on('trial:stop', (order: TrialStopOrder) => orders.push(order));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { orders, socket };
}
