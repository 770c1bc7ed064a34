import type { EntityManager } from 'typeorm';
import { sql } from '../../database/transaction.js';
import {
  SWEEP_HEAD_COLUMNS,
  shiftCountsStatement,
  toSweepHead,
  type CountMoves,
  type SweepHead,
} from './sweep-rows.js';

/*
 * Lock order, followed by every writer: the sweep row first, then its trial rows (several in id
 * order). The one exception is an epoch report that leaves the trial's status alone: it locks only
 * its trial and never waits for a sweep, so it cannot close a cycle. Anything that changes a
 * trial's status holds the sweep row, which is what keeps the per-status counts exact.
 */

/** Locks the sweep row for the rest of the transaction and returns its head, or null when it does not exist. */
export async function lockSweepHead(tx: EntityManager, sweepId: string): Promise<SweepHead | null> {
  const rows = await sql(
    tx,
    `SELECT ${SWEEP_HEAD_COLUMNS} FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE s.id = $1 FOR UPDATE OF s`,
    [sweepId],
  );
  return rows[0] ? toSweepHead(rows[0]) : null;
}

/** Applies count moves to a sweep the caller has locked, settles its status, and returns the new head. */
export async function shiftCounts(
  tx: EntityManager,
  sweepId: string,
  moves: CountMoves,
  now: Date,
): Promise<SweepHead> {
  const { text, values } = shiftCountsStatement(sweepId, moves, now);
  const rows = await sql(tx, text, values);
  if (!rows[0]) throw new Error(`Sweep ${sweepId} vanished while its row was locked.`);
  return toSweepHead(rows[0]);
}
