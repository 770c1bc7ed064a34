import type { SweepSpecInput } from '@ablate/contracts';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from '../src/database/transaction.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker } from './registered-worker.js';

/**
 * Every writer locks the sweep row before its trial rows. A median sweep's epoch report that moves
 * no status writes only its trial and its best at the step (`trial_step_bests`); that table's
 * foreign key to `sweeps` made PostgreSQL's check lock the sweep row (KEY SHARE) at the end of the
 * statement, after the trial's: the reverse order. Against a writer holding the sweep and reaching
 * for that trial (a cancel, a follow-up) it deadlocked: the pair the report-path storm hit once.
 */
describe('lock order of a median report against a writer holding the sweep', () => {
  let s: TestScheduler;
  let holder: pg.Client;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    holder = new pg.Client({ connectionString: s.config.databaseUrl });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await s.close();
  });

  it('never deadlocks: the report does not wait for the sweep row, and the writer then gets the trial', async () => {
    const spec: SweepSpecInput = {
      name: 'median-lock-order',
      template: 'mnist-cnn',
      parameters: { seed: { values: [1, 2, 3] } },
      pruner: { type: 'median', warmupSteps: 5, minTrials: 3 },
      metric: { name: 'val_acc', goal: 'maximize' },
    };
    const sweep = await s.user.createSweep(spec);
    const w = await registerWorker(s, 'median-lock-order');
    const trial = (await w.api.leaseTrial(w.workerId)).trial!;
    await w.api.report(trial.id, { type: 'epoch', workerId: w.workerId, step: 1, metrics: { val_acc: 0.2 } }); // leased → running

    // The writer: holds the sweep row as a cancel or a follow-up does, and checks for a deadlock
    // long before the report's session would, so a cycle aborts the writer's statement here.
    await holder.query("SET deadlock_timeout = '20ms'");
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM sweeps WHERE id = $1 FOR UPDATE', [sweep.id]);
    // An epoch report that moves no status: writes the trial and its best at step 2.
    const report = w.api.report(trial.id, { type: 'epoch', workerId: w.workerId, step: 2, metrics: { val_acc: 0.3 } });
    const db = s.app.get(DataSource);
    let settled = false;
    void report.finally(() => (settled = true)).catch(() => undefined);
    // Until the report is done, or is waiting on a lock (it would be the sweep row, the trial being its own).
    for (let waiting = 0; waiting === 0 && !settled; await sleep(20)) {
      const rows = await sql<{ n: number }>(
        db.manager,
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%trial_step_bests%'",
      );
      waiting = rows[0]!.n;
    }
    // The writer reaches for the trial, as a cancel does after locking the sweep.
    const update = holder.query(`UPDATE trials SET status_reason = 'lock order' WHERE id = $1`, [trial.id]).then(
      (r) => r.rowCount,
      (err: Error & { code?: string }) => err.code ?? err.message,
    );
    expect(await update).toBe(1); // 40P01 when the report had locked the trial and waited for the sweep
    await holder.query('COMMIT');
    await expect(report).resolves.toMatchObject({ decision: 'continue' });
    const bests = await sql<{ step: number; best: number }>(db.manager, 'SELECT step, best FROM trial_step_bests WHERE trial_id = $1 ORDER BY step', [trial.id]);
    expect(bests).toEqual([
      { step: 1, best: 0.2 },
      { step: 2, best: 0.3 },
    ]);
  });
});
