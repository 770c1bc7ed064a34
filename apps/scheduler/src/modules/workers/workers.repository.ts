import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RegisterWorkerRequest, WorkerSummary, WorkerTelemetry } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { sql } from '../../database/transaction.js';
import { toWorkerSummary, WORKER_SUMMARY_COLUMNS, type WorkerSummaryRow } from './worker-rows.js';

/** The only place that reads and writes workers. */
@Injectable()
export class WorkersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async registerWorker(body: RegisterWorkerRequest, secretHash: Buffer, now: Date): Promise<string> {
    const rows = await sql<{ id: string }>(
      this.db.manager,
      `INSERT INTO workers (host, slots, backends, gpus, trials_per_gpu, cpu_slots, registered_at, last_heartbeat_at, secret_hash, commands, version)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $7, $8, $9, $10) RETURNING id`,
      [
        body.host,
        body.slots,
        JSON.stringify(body.backends),
        JSON.stringify(body.gpus),
        body.trialsPerGpu,
        body.cpuSlots,
        now,
        secretHash,
        body.commands,
        body.version ?? null,
      ],
    );
    return rows[0]!.id;
  }

  /** Workers, most recently seen first, with how many live leases each holds; `lostBefore` marks the silent ones lost. */
  async listWorkers(limit: number, lostBefore: Date): Promise<WorkerSummary[]> {
    const rows = await sql<WorkerSummaryRow>(
      this.db.manager,
      `SELECT ${WORKER_SUMMARY_COLUMNS} FROM workers w ORDER BY w.last_heartbeat_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => toWorkerSummary(r, lostBefore));
  }

  /** The given workers as lists show them (for a push after a heartbeat, a registration or a loss). */
  async findWorkers(ids: string[], lostBefore: Date): Promise<WorkerSummary[]> {
    if (ids.length === 0) return [];
    const rows = await sql<WorkerSummaryRow>(
      this.db.manager,
      `SELECT ${WORKER_SUMMARY_COLUMNS} FROM workers w WHERE w.id = ANY($1::uuid[]) ORDER BY w.last_heartbeat_at DESC`,
      [ids],
    );
    return rows.map((r) => toWorkerSummary(r, lostBefore));
  }

  /** Ids of workers whose last heartbeat fell in [from, to): those that turned lost since the previous look. */
  async findWorkersSilentSince(from: Date, to: Date): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      this.db.manager,
      `SELECT id FROM workers WHERE last_heartbeat_at >= $1 AND last_heartbeat_at < $2`,
      [from, to],
    );
    return rows.map((r) => r.id);
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

  /** Records that the worker is alive (a lease); null when it is unknown, else what leasing needs of it (whether it runs command trials). */
  async touchWorker(id: string, now: Date): Promise<{ commands: boolean } | null> {
    const rows = await sql<{ commands: boolean }>(this.db.manager, touchStatement(undefined, 'w.commands'), touchValues(id, now, undefined), { prepare: true });
    return rows[0] ?? null;
  }

  /**
   * A heartbeat: records that the worker is alive (and its telemetry) and returns it as lists show
   * it, for the push, in the same statement (it was an update and then a read of the same row).
   */
  async heartbeatWorker(id: string, now: Date, telemetry: WorkerTelemetry | undefined, lostBefore: Date): Promise<WorkerSummary | null> {
    const rows = await sql<WorkerSummaryRow>(this.db.manager, touchStatement(telemetry, WORKER_SUMMARY_COLUMNS), touchValues(id, now, telemetry), { prepare: true });
    return rows[0] ? toWorkerSummary(rows[0], lostBefore) : null;
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

/** The update of a worker's liveness (and telemetry, when sent), returning `returning` of row `w`. */
function touchStatement(telemetry: WorkerTelemetry | undefined, returning: string): string {
  const set = telemetry ? 'last_heartbeat_at = $2, telemetry = $3::jsonb' : 'last_heartbeat_at = $2';
  return `UPDATE workers w SET ${set} WHERE w.id = $1 RETURNING ${returning}`;
}

function touchValues(id: string, now: Date, telemetry: WorkerTelemetry | undefined): unknown[] {
  return telemetry ? [id, now, JSON.stringify(telemetry)] : [id, now];
}
