import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RegisterWorkerRequest, WorkerSummary } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { sql } from '../../database/transaction.js';

/** The only place that reads and writes workers. */
@Injectable()
export class WorkersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async registerWorker(body: RegisterWorkerRequest, secretHash: Buffer, now: Date): Promise<string> {
    const rows = await sql<{ id: string }>(
      this.db.manager,
      `INSERT INTO workers (host, slots, backends, registered_at, last_heartbeat_at, secret_hash) VALUES ($1, $2, $3::jsonb, $4, $4, $5) RETURNING id`,
      [body.host, body.slots, JSON.stringify(body.backends), now, secretHash],
    );
    return rows[0]!.id;
  }

  /** Workers, most recently seen first, with how many live leases each holds; never the secret hash. */
  async listWorkers(limit: number): Promise<WorkerSummary[]> {
    const rows = await sql<{
      id: string;
      host: string;
      slots: number;
      backends: string[];
      registered_at: Date;
      last_heartbeat_at: Date;
      leases: number;
    }>(
      this.db.manager,
      `SELECT w.id, w.host, w.slots, w.backends, w.registered_at, w.last_heartbeat_at,
              (SELECT count(*)::int FROM trials t WHERE t.lease_owner = w.id AND t.status IN ('leased', 'running')) AS leases
       FROM workers w ORDER BY w.last_heartbeat_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      host: r.host,
      slots: r.slots,
      backends: r.backends,
      registeredAt: r.registered_at.toISOString(),
      lastHeartbeatAt: r.last_heartbeat_at.toISOString(),
      leases: r.leases,
    }));
  }

  /** The stored secret hash: undefined when no such worker, null when it registered before secrets existed. */
  async findSecretHash(id: string): Promise<Buffer | null | undefined> {
    const rows = await sql<{ secret_hash: Buffer | null }>(
      this.db.manager,
      `SELECT secret_hash FROM workers WHERE id = $1`,
      [id],
    );
    return rows[0]?.secret_hash;
  }

  /** Records that the worker is alive (heartbeat or lease); false when it is unknown. */
  async touchWorker(id: string, now: Date): Promise<boolean> {
    const rows = await sql(
      this.db.manager,
      `UPDATE workers SET last_heartbeat_at = $2 WHERE id = $1 RETURNING id`,
      [id, now],
    );
    return rows.length > 0;
  }

  /**
   * Deletes workers silent since before `cutoff` that hold no live lease (a worker that still holds
   * one is left to the lease reaper first); returns their ids. A worker touched meanwhile keeps its
   * row: the DELETE re-checks `last_heartbeat_at` on the row it waited for.
   */
  async removeSilentWorkers(cutoff: Date): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      this.db.manager,
      `DELETE FROM workers w WHERE w.last_heartbeat_at < $1
         AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.lease_owner = w.id AND t.status IN ('leased', 'running'))
       RETURNING w.id`,
      [cutoff],
    );
    return rows.map((r) => r.id);
  }
}
