import type pg from 'pg';
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
export function inTransaction<T>(
  db: DataSource,
  work: (tx: EntityManager) => Promise<T>,
  attempts = 4,
): Promise<T> {
  return retriedOnConflict(() => db.transaction(work), attempts);
}

/**
 * Runs `run` again, after a short random pause, when PostgreSQL aborted it for a deadlock or a
 * serialization failure (it changed nothing then), up to `attempts` times in all.
 */
async function retriedOnConflict<T>(run: () => Promise<T>, attempts: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (i >= attempts || !RETRYABLE.has(pgCode(err) ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}

/**
 * Runs one SQL statement in `tx` (an `inTransaction` manager, or `db.manager` for a statement on its
 * own) and returns its rows, RETURNING rows included. The hot paths use raw SQL: TypeORM's `save`
 * re-reads each row it writes, which doubled a report's round trips. A statement on its own goes
 * straight to the pg pool, without a TypeORM query runner around it; with `prepare`, as a named
 * statement (see `statementName`).
 */
export async function sql<T = Record<string, unknown>>(
  tx: EntityManager,
  text: string,
  values: unknown[] = [],
  options: { prepare?: boolean } = {},
): Promise<T[]> {
  if (tx.queryRunner) {
    const result = await tx.queryRunner.query(text, values, true);
    return (result.records ?? []) as T[];
  }
  const pool = (tx.connection.driver as unknown as { master: pg.Pool }).master;
  const name = options.prepare ? statementName(text) : undefined;
  const query = name ? { name, text, values } : { text, values };
  // A statement on its own is its own transaction: aborted for a deadlock or a serialization
  // failure it changed nothing, so it is run again like an `inTransaction` (a report's one-statement
  // write against a cancel or a lease: seen once as a 503 in the report-path storm).
  return retriedOnConflict(async () => (await pool.query(query)).rows as T[], STATEMENT_ATTEMPTS);
}

/** Tries of a statement on its own that PostgreSQL aborted for a deadlock or a serialization failure. */
const STATEMENT_ATTEMPTS = 4;

/** Names given so far, by statement text; one name per text for the life of the process. */
const statementNames = new Map<string, string>();

/** Texts that get a name: each pooled connection keeps every statement it prepared until it closes. */
const MAX_NAMED_STATEMENTS = 200;

/**
 * The name of a hot statement (a lease, a report's read and write): each pooled connection parses
 * and plans it once, then PostgreSQL reuses the plan. Planning the lease and report statements
 * (CTEs over trials and sweeps) took 0.5-0.7 ms of PostgreSQL's CPU each time, a third of its time
 * per zero-work trial (bench:scheduler --pg-statements). Only for texts from a bounded set (values
 * travel as parameters); past the limit a text runs unnamed.
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `ablate_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Numbered parameters for a statement built in pieces: `p.add(value)` returns `$n` (with an
 * optional cast), so builders compose without counting placeholders by hand.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}
