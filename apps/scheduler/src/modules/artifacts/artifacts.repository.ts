import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TrialStatus } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { sql } from '../../database/transaction.js';

/** What the artifact store needs to know of a trial: who holds it, and whether it is over. */
export interface TrialHold {
  id: string;
  status: TrialStatus;
  leaseOwner: string | null;
  finishedAt: Date | null;
}

/** Statuses read per query when the janitor looks up the trials it holds checkpoints of. */
const LOOKUP_CHUNK = 1_000;

@Injectable()
export class ArtifactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The trial's status and lease holder, or null when there is no such trial. */
  async findHold(trialId: string): Promise<TrialHold | null> {
    return (await this.findHolds([trialId]))[0] ?? null;
  }

  /** Status and lease holder of each of these trials that still exists. */
  async findHolds(trialIds: readonly string[]): Promise<TrialHold[]> {
    const found: TrialHold[] = [];
    for (let i = 0; i < trialIds.length; i += LOOKUP_CHUNK) {
      const rows = await sql<{ id: string; status: TrialStatus; lease_owner: string | null; finished_at: Date | null }>(
        this.db.manager,
        'SELECT id, status, lease_owner, finished_at FROM trials WHERE id = ANY($1::uuid[])',
        [trialIds.slice(i, i + LOOKUP_CHUNK)],
      );
      found.push(...rows.map((r) => ({ id: r.id, status: r.status, leaseOwner: r.lease_owner, finishedAt: r.finished_at })));
    }
    return found;
  }
}
