import type { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.driverError?.code ?? e?.code;
}

/**
 * Runs `work` in a transaction, retried a few times when PostgreSQL aborts it for a deadlock or a
 * serialization failure. Lock order (sweep row, then its trial rows) makes deadlocks unlikely; this
 * keeps a rare one from reaching a user or a worker as an error.
 */
export async function inTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (i >= attempts || !RETRYABLE.has(pgCode(err) ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}
