import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TRIAL_LOG_MAX_BYTES, TRIAL_LOG_MAX_LINES, type TrialLogEntry, type TrialLogLine, type TrialStatus } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { sql } from '../../database/transaction.js';

/** What the log routes need to know about a trial: who holds it, in which attempt. */
export interface TrialLogOwner {
  status: TrialStatus;
  attempt: number;
  leaseOwner: string | null;
}

const LINE_COLUMNS = `attempt, seq::float8 AS seq, stream, line, at`;

function toLine(r: Record<string, unknown>): TrialLogLine {
  return {
    attempt: r.attempt as number,
    seq: r.seq as number,
    stream: r.stream as TrialLogLine['stream'],
    line: r.line as string,
    at: (r.at as Date).toISOString(),
  };
}

/** The `trial_log_lines` table: bounded per-trial tails. */
@Injectable()
export class TrialLogsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The trial's status, attempt and lease owner, or null when there is no such trial. */
  async findOwner(trialId: string): Promise<TrialLogOwner | null> {
    const rows = await sql(this.db.manager, `SELECT status, attempt, lease_owner FROM trials WHERE id = $1`, [trialId]);
    const r = rows[0];
    return r ? { status: r.status as TrialStatus, attempt: r.attempt as number, leaseOwner: (r.lease_owner as string | null) ?? null } : null;
  }

  /**
   * Stores the lines not stored yet (a retried batch adds nothing) and returns them, then drops the
   * trial's oldest lines beyond the bounds. Two statements: the trim must see the rows just added.
   */
  async append(trialId: string, attempt: number, entries: readonly TrialLogEntry[]): Promise<TrialLogLine[]> {
    const rows = await sql(
      this.db.manager,
      `INSERT INTO trial_log_lines (trial_id, attempt, seq, stream, line, at)
       SELECT $1, $2, u.seq, u.stream, u.line, u.at
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::timestamptz[]) AS u (seq, stream, line, at)
       ON CONFLICT DO NOTHING
       RETURNING ${LINE_COLUMNS}`,
      [trialId, attempt, entries.map((e) => e.seq), entries.map((e) => e.stream), entries.map((e) => e.line), entries.map((e) => e.at)],
    );
    if (rows.length > 0) await this.trim(trialId);
    return rows.map(toLine).sort((a, b) => a.seq - b.seq);
  }

  /** The stored tail, oldest first. */
  async tail(trialId: string): Promise<TrialLogLine[]> {
    const rows = await sql(this.db.manager, `SELECT ${LINE_COLUMNS} FROM trial_log_lines WHERE trial_id = $1 ORDER BY attempt, seq`, [trialId]);
    return rows.map(toLine);
  }

  /** Keeps the newest lines within TRIAL_LOG_MAX_LINES and TRIAL_LOG_MAX_BYTES (a line counts its bytes and its break). */
  private async trim(trialId: string): Promise<void> {
    await sql(
      this.db.manager,
      `DELETE FROM trial_log_lines d USING (
         SELECT attempt, seq FROM (
           SELECT attempt, seq, row_number() OVER w AS n, sum(octet_length(line) + 1) OVER w AS bytes
             FROM trial_log_lines WHERE trial_id = $1 WINDOW w AS (ORDER BY attempt DESC, seq DESC)
         ) newest_first WHERE n > $2 OR bytes > $3
       ) old
       WHERE d.trial_id = $1 AND d.attempt = old.attempt AND d.seq = old.seq`,
      [trialId, TRIAL_LOG_MAX_LINES, TRIAL_LOG_MAX_BYTES],
    );
  }
}
