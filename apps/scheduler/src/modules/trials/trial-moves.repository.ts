import { Injectable } from '@nestjs/common';
import type { TrialStatus } from '@ablate/contracts';
import type { EntityManager } from 'typeorm';
import { sql } from '../../database/transaction.js';
import type { MovedTrial } from '../sweeps/locked-sweep.repository.js';
import { toTrialRow, trialColumns } from './trial-rows.js';

/** Statuses a trial can still leave. */
export const UNFINISHED: readonly TrialStatus[] = ['queued', 'leased', 'running', 'paused'];

/** A moved row: the trial as it is now, with its status and lease owner before (`previous_*`). */
function toMoved(r: Record<string, unknown>): MovedTrial {
  return { trial: toTrialRow(r), from: r.previous_status as TrialStatus, owner: (r.previous_owner as string | null) ?? null };
}

/**
 * Moves trials between statuses in bulk for the sweep-level writes: cancel (a sweep, a stop's
 * leftovers, a failed sweep's rest, one trial) and ASHA's promotions and settling. Each runs in a
 * transaction that holds the sweep row and locks its trials in id order (the lock order), and
 * returns them as moved, with the status and lease owner each had before.
 */
@Injectable()
export class TrialMoves {
  /**
   * Cancels a sweep's trials in `statuses` in one statement, with `reason`; returns them as moved.
   * A 10,000-trial sweep took 3.3 s when each trial was saved on its own.
   */
  async cancelTrials(
    tx: EntityManager,
    sweepId: string,
    statuses: readonly TrialStatus[],
    reason: string,
    now: Date,
  ): Promise<MovedTrial[]> {
    const rows = await sql(
      tx,
      `WITH open AS (SELECT id, status, lease_owner FROM trials WHERE sweep_id = $1 AND status = ANY($3::text[]) ORDER BY id FOR UPDATE)
       UPDATE trials t SET status = 'cancelled', status_reason = $4, lease_owner = NULL, lease_expires_at = NULL, finished_at = $2, updated_at = $2, revision = t.revision + 1
       FROM open o WHERE t.id = o.id
       RETURNING ${trialColumns('t')}, o.status AS previous_status, o.lease_owner AS previous_owner`,
      [sweepId, now, statuses, reason],
    );
    return rows.map(toMoved);
  }

  /** Cancels one unfinished trial of the sweep; null when it is not (or no longer) unfinished. */
  async cancelTrial(tx: EntityManager, sweepId: string, trialId: string, reason: string, now: Date): Promise<MovedTrial | null> {
    const rows = await sql(
      tx,
      `WITH one AS (SELECT id, status, lease_owner FROM trials WHERE id = $1 AND sweep_id = $2 AND status = ANY($5::text[]) FOR UPDATE)
       UPDATE trials t SET status = 'cancelled', status_reason = $3, lease_owner = NULL, lease_expires_at = NULL, finished_at = $4, updated_at = $4, revision = t.revision + 1
       FROM one o WHERE t.id = o.id
       RETURNING ${trialColumns('t')}, o.status AS previous_status, o.lease_owner AS previous_owner`,
      [trialId, sweepId, reason, now, UNFINISHED],
    );
    return rows[0] ? toMoved(rows[0]) : null;
  }

  /**
   * Moves paused trials (ASHA): `queued` to resume after their step (a promotion), or `pruned`
   * with the reason. Trials no longer paused are left alone and not returned.
   */
  async movePaused(
    tx: EntityManager,
    moves: readonly { trialId: string; to: 'queued' | 'pruned'; reason: string | null }[],
    now: Date,
  ): Promise<MovedTrial[]> {
    if (moves.length === 0) return [];
    const rows = await sql(
      tx,
      `WITH m AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) AS m(id, status, reason)),
            locked AS (SELECT t.id FROM trials t JOIN m ON m.id = t.id WHERE t.status = 'paused' ORDER BY t.id FOR UPDATE OF t)
       UPDATE trials t SET status = m.status, status_reason = m.reason, finished_at = CASE WHEN m.status = 'pruned' THEN $4::timestamptz END,
         updated_at = $4, revision = t.revision + 1
       FROM m WHERE t.id = m.id AND t.id IN (SELECT id FROM locked)
       RETURNING ${trialColumns('t')}, 'paused' AS previous_status, NULL::uuid AS previous_owner`,
      [moves.map((m) => m.trialId), moves.map((m) => m.to), moves.map((m) => m.reason), now],
    );
    return rows.map(toMoved);
  }

  /** Ids of the sweep's paused trials. */
  async findPausedIds(tx: EntityManager, sweepId: string): Promise<string[]> {
    const rows = await sql<{ id: string }>(tx, `SELECT id FROM trials WHERE sweep_id = $1 AND status = 'paused' ORDER BY id`, [sweepId]);
    return rows.map((r) => r.id);
  }
}
