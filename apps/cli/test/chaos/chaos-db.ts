import pg from 'pg';

/** A trial row as the chaos test reads it straight from PostgreSQL. */
export interface TrialRow {
  id: string;
  index: number;
  status: string;
  attempt: number;
  step: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  error: string | null;
}

/** A stored metric point. */
export interface PointRow {
  trialId: string;
  name: string;
  step: number;
  value: number;
}

const FINISHED = ['completed', 'pruned', 'failed', 'cancelled'];

/**
 * Reads the scheduler's tables directly, so the test sees the truth even while the scheduler is
 * down, and checks what the API says against it. A pool, not one client: a connection dies with
 * every PostgreSQL kill, and the pool opens a new one for the next query.
 */
export class ChaosDb {
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
    this.pool.on('error', () => undefined); // an idle connection killed with PostgreSQL; the next query reconnects
  }

  async trials(sweepId: string): Promise<TrialRow[]> {
    const { rows } = await this.pool.query<TrialRow>(
      `SELECT id, index, status, attempt, step, lease_owner AS "leaseOwner", lease_expires_at AS "leaseExpiresAt", error
         FROM trials WHERE sweep_id = $1 ORDER BY index`,
      [sweepId],
    );
    return rows;
  }

  /** Trials a worker holds a lease on (leased or running). */
  async heldBy(workerId: string): Promise<TrialRow[]> {
    const { rows } = await this.pool.query<TrialRow>(
      `SELECT id, index, status, attempt, step, lease_owner AS "leaseOwner", lease_expires_at AS "leaseExpiresAt", error
         FROM trials WHERE lease_owner = $1 AND status IN ('leased', 'running') ORDER BY index`,
      [workerId],
    );
    return rows;
  }

  async points(sweepId: string): Promise<PointRow[]> {
    const { rows } = await this.pool.query<PointRow>(
      `SELECT p.trial_id AS "trialId", p.name, p.step, p.value
         FROM metric_points p JOIN trials t ON t.id = p.trial_id
        WHERE t.sweep_id = $1 ORDER BY p.trial_id, p.name, p.step`,
      [sweepId],
    );
    return rows;
  }

  /** How many points the sweep has stored: with the finished count, the test's measure of progress. */
  async pointCount(sweepId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM metric_points p JOIN trials t ON t.id = p.trial_id WHERE t.sweep_id = $1',
      [sweepId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async sweepStatus(sweepId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ status: string }>('SELECT status FROM sweeps WHERE id = $1', [
      sweepId,
    ]);
    return rows[0]?.status ?? null;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export function isFinished(t: TrialRow): boolean {
  return FINISHED.includes(t.status);
}

/** `#7 running attempt 2 step 3 lease <owner> until <time>`, for messages. */
export function describeTrial(t: TrialRow): string {
  const lease = t.leaseOwner ? ` lease ${t.leaseOwner} until ${t.leaseExpiresAt?.toISOString() ?? '?'}` : '';
  return `#${t.index} ${t.id} ${t.status} attempt ${t.attempt} step ${t.step ?? '-'}${lease}${t.error ? ` error "${t.error}"` : ''}`;
}
