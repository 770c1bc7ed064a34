import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from '../src/database/transaction.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

/**
 * The hot paths write with one statement on its own (a report's write, a lease); PostgreSQL may
 * abort one to break a deadlock with a transaction that locks the same rows. It changed nothing then,
 * so `sql` runs it again instead of answering 503 (seen once in the report-path storm).
 */
describe('a statement on its own, aborted by PostgreSQL for a deadlock', () => {
  let s: TestScheduler;
  let other: pg.Client;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    other = new pg.Client({ connectionString: s.config.databaseUrl });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await s.close();
  });

  it('is run again and applies exactly once', async () => {
    const db = s.app.get(DataSource);
    await sql(db.manager, 'CREATE TABLE deadlock_pair (id int PRIMARY KEY, v int NOT NULL)');
    await sql(db.manager, 'INSERT INTO deadlock_pair VALUES (1, 0), (2, 0)');
    // The other session waits long before it checks for a deadlock, so the statement's session is
    // the one that finds the cycle and is aborted.
    await other.query("SET deadlock_timeout = '30s'");
    await other.query('BEGIN');
    await other.query('UPDATE deadlock_pair SET v = v + 1 WHERE id = 1');
    // Locks row 2 (the CTE runs first: the update of row 1 depends on it), then waits for row 1.
    const statement = sql(
      db.manager,
      'WITH a AS (UPDATE deadlock_pair SET v = v + 10 WHERE id = 2 RETURNING id) UPDATE deadlock_pair SET v = v + 10 WHERE id = 1 AND EXISTS (SELECT 1 FROM a)',
    );
    for (let waiting = 0; waiting === 0; await sleep(20)) {
      const rows = await sql<{ n: number }>(
        db.manager,
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH a AS (UPDATE deadlock_pair%'",
      );
      waiting = rows[0]!.n;
    }
    // Closes the cycle: row 2 is the statement's. It gets it once the statement is aborted.
    await other.query('UPDATE deadlock_pair SET v = v + 1 WHERE id = 2');
    await other.query('COMMIT');
    await expect(statement).resolves.toEqual([]);
    const { rows } = await other.query<{ id: number; v: number }>('SELECT id, v FROM deadlock_pair ORDER BY id');
    expect(rows).toEqual([
      { id: 1, v: 11 },
      { id: 2, v: 11 },
    ]);
  });
});
