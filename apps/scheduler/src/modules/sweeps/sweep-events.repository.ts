import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SweepEvent, SweepEventAction } from '@ablate/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { sql } from '../../database/transaction.js';
import { toSweepEvent } from './sweep.mapper.js';

/** Events a list returns at most (a sweep's steering actions are few; trial cancels could be many). */
const LIST_LIMIT = 10_000;

/** The actor of automatic changes (completed, failed). */
export const SCHEDULER_ACTOR = 'scheduler';

export interface NewSweepEvent {
  action: SweepEventAction;
  actor: string;
  detail?: Record<string, unknown>;
  trialId?: string | null;
}

/** Records an event in the caller's transaction (which holds the sweep row) and returns it. */
export async function insertSweepEvent(tx: EntityManager, sweepId: string, e: NewSweepEvent, at: Date): Promise<SweepEvent> {
  const rows = await sql(
    tx,
    `INSERT INTO sweep_events (sweep_id, trial_id, action, actor, detail, at) VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING *`,
    [sweepId, e.trialId ?? null, e.action, e.actor, JSON.stringify(e.detail ?? {}), at],
  );
  return toSweepEvent(rows[0]!);
}

/** Reads a sweep's events (`GET /api/sweeps/:id/events`). */
@Injectable()
export class SweepEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Oldest first, at most the first 10,000. */
  async listEvents(sweepId: string): Promise<SweepEvent[]> {
    const rows = await sql(this.db.manager, `SELECT * FROM sweep_events WHERE sweep_id = $1 ORDER BY id LIMIT ${LIST_LIMIT}`, [sweepId]);
    return rows.map(toSweepEvent);
  }
}
