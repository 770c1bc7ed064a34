import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { sql } from '../../database/transaction.js';
import { Changes } from '../sweeps/sweep-changes.js';
import { sweepHeadColumns, toSweepHead } from '../sweeps/sweep-rows.js';

/** How a placement reason starts; only reasons that start so are ever replaced or cleared here. */
export const WAITING_FOR_WORKER = 'Waiting for a worker:';

/**
 * Says why a sweep's trials wait when no live worker could ever hold one: each needs more GPUs
 * than the largest live worker has ("needs 2 GPUs per trial; the largest live worker has 1"), or
 * they are command trials and no live worker runs commands, in the sweep's `reason`, and clears it
 * once one can. Run when a sweep is created, when a worker
 * registers, and on every reaper pass (which is when a silent worker turns lost). Cheap enough for
 * that: one read of the live workers and of the queued and running sweeps' `needed_gpus` column
 * (reading `spec->'resources'` decompressed a big grid's whole spec on every pass).
 *
 * It writes only queued or running sweeps whose reason is empty or its own, in one statement whose
 * conditions PostgreSQL re-checks on a row it waited for, so a pause or cancel that lands meanwhile
 * keeps its reason.
 */
@Injectable()
export class SweepPlacement {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /** Updates the reasons against the workers heard from within a lease TTL of `now`; returns the sweep heads it changed. */
  async explain(now: Date): Promise<Changes> {
    const reason = `CASE WHEN sw.needed_gpus > live.max_gpus
      THEN '${WAITING_FOR_WORKER} each trial needs ' || sw.needed_gpus || ' GPU(s); '
        || CASE WHEN live.workers = 0 THEN 'no worker is connected'
                ELSE 'the largest connected worker has ' || live.max_gpus END
      WHEN sw.template = 'command' AND live.workers > 0 AND live.commands = 0
      THEN '${WAITING_FOR_WORKER} these are command trials, and none of the ' || live.workers
        || ' connected worker(s) runs commands; start one with ABLATE_ALLOW_COMMANDS (docs/command-trials.md)'
      END`;
    const rows = await sql(
      this.db.manager,
      `${LIVE_CAPACITY}
       UPDATE sweeps sw SET reason = ${reason}
       FROM live, projects p
       WHERE sw.status IN ('queued', 'running') AND (sw.reason IS NULL OR sw.reason LIKE '${WAITING_FOR_WORKER}%')
         AND sw.reason IS DISTINCT FROM (${reason}) AND p.id = sw.project_id
       RETURNING ${sweepHeadColumns('sw', '')}`,
      [this.liveSince(now)],
    );
    const changes = new Changes();
    for (const row of rows) changes.sweep(toSweepHead(row));
    return changes;
  }

  private liveSince(now: Date): Date {
    return new Date(now.getTime() - this.config.leaseTtlMs);
  }
}

/** What the workers heard from since `$1` can hold: how many, the most GPUs one has, how many run commands. */
const LIVE_CAPACITY = `WITH live AS (
  SELECT count(*)::int AS workers, COALESCE(max(jsonb_array_length(gpus)), 0)::int AS max_gpus,
    count(*) FILTER (WHERE commands)::int AS commands
  FROM workers WHERE last_heartbeat_at >= $1
)`;
