import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FINISHED_TRIAL_STATUSES, TRIAL_LOG_MAX_BYTES, TRIAL_LOG_MAX_LINES, type TrialLogEntry, type TrialLogLine, type TrialStatus } from '@ablate/contracts';
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
   * The per-trial path of the agent's log tail (every trial sends one before its last report), in
   * one statement: the trial's owner, and the lines not stored yet (a retried batch adds nothing)
   * inserted only if `workerId` holds `attempt` of the unfinished trial, with the tail's size after
   * them. Null when there is no such trial. The trim (a second statement: it must see the rows just
   * added) runs only when the tail is past a bound; a batch racing another of the same trial may
   * leave it past one until the trial's next batch.
   *
   * `awaitFlush: false` (a tail inside a completion only) commits without waiting for the WAL
   * flush: the completion commits right after it and its flush covers these lines too, and if the
   * completion is not acknowledged the agent sends both again. Lines posted alone wait for the
   * flush: the agent drops them once acknowledged (one flush per trial instead of two gave figure 2
   * of bench:scheduler ~300 → ~335/s in quick runs).
   */
  async appendIfHeld(
    trialId: string,
    workerId: string,
    attempt: number,
    entries: readonly TrialLogEntry[],
    o: { awaitFlush: boolean } = { awaitFlush: true },
  ): Promise<{ owner: TrialLogOwner; stored: TrialLogLine[] } | null> {
    const rows = await sql(
      this.db.manager,
      `WITH owner AS (SELECT status, attempt, lease_owner, set_config('synchronous_commit', $9, true) AS commit_mode FROM trials WHERE id = $1),
       ins AS (
         INSERT INTO trial_log_lines (trial_id, attempt, seq, stream, line, at)
         SELECT $1, $2, u.seq, u.stream, u.line, u.at
           FROM unnest($3::bigint[], $4::text[], $5::text[], $6::timestamptz[]) AS u (seq, stream, line, at)
          WHERE EXISTS (SELECT 1 FROM owner o WHERE o.lease_owner = $7 AND o.attempt = $2 AND o.status <> ALL($8::text[]))
         ON CONFLICT DO NOTHING
         RETURNING ${LINE_COLUMNS}, octet_length(line) + 1 AS bytes
       ),
       before AS (SELECT count(*)::int AS n, COALESCE(sum(octet_length(line) + 1), 0)::float8 AS bytes FROM trial_log_lines WHERE trial_id = $1)
       SELECT o.status, o.attempt, o.lease_owner,
              (SELECT COALESCE(json_agg(json_build_object('attempt', attempt, 'seq', seq, 'stream', stream, 'line', line, 'at', at) ORDER BY seq), '[]'::json) FROM ins) AS stored,
              (SELECT n FROM before) + (SELECT count(*)::int FROM ins) AS total_lines,
              (SELECT bytes FROM before) + (SELECT COALESCE(sum(bytes), 0)::float8 FROM ins) AS total_bytes
         FROM owner o`,
      [trialId, attempt, entries.map((e) => e.seq), entries.map((e) => e.stream), entries.map((e) => e.line), entries.map((e) => e.at), workerId, FINISHED_TRIAL_STATUSES, o.awaitFlush ? 'on' : 'off'],
      { prepare: true },
    );
    const r = rows[0];
    if (!r) return null;
    const owner = { status: r.status as TrialStatus, attempt: r.attempt as number, leaseOwner: (r.lease_owner as string | null) ?? null };
    const stored = (r.stored as Record<string, unknown>[]).map((l) => toLine({ ...l, at: new Date(l.at as string) }));
    if (stored.length > 0 && ((r.total_lines as number) > TRIAL_LOG_MAX_LINES || (r.total_bytes as number) > TRIAL_LOG_MAX_BYTES)) await this.trim(trialId);
    return { owner, stored };
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
