import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SweepListQuery, SweepSpec } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { inTransaction, sql } from '../../database/transaction.js';
import type { SweepSearch, Refill } from '../search/index.js';
import type { TrialRow } from '../trials/trial-rows.js';
import { TrialsRepository } from '../trials/trials.repository.js';
import { LockedSweep } from './locked-sweep.repository.js';
import type { Changes } from './sweep-changes.js';
import { SweepFollowUps } from './sweep-follow-up.repository.js';
import { SWEEP_HEAD_COLUMNS, toSweepHead, type SweepHead } from './sweep-rows.js';

const FROM_SWEEPS = 'FROM sweeps s JOIN projects p ON p.id = s.project_id';

/** A validated spec with its search and the first trials it proposed. */
export interface NewSweep {
  spec: SweepSpec;
  search: SweepSearch;
  first: Refill;
}

/** The only place that reads and writes sweeps (and creates projects on first use); steering has its own. */
@Injectable()
export class SweepsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly trials: TrialsRepository,
    private readonly followUps: SweepFollowUps,
  ) {}

  /**
   * Creates the project if new, the sweep with its search state and first trials, and its `created`
   * event, in one transaction. A search that proposed nothing the template accepts ends the sweep
   * `failed` at once (the follow-up says why).
   */
  async createSweep({ spec, search, first }: NewSweep, actor: string, now: Date): Promise<Changes> {
    return inTransaction(this.db, async (tx) => {
      await sql(tx, 'INSERT INTO projects (slug) VALUES ($1) ON CONFLICT (slug) DO NOTHING', [spec.project]);
      const [row] = await sql<{ id: string }>(
        tx,
        `INSERT INTO sweeps (project_id, name, template, spec, metric_name, metric_goal, max_retries, status, trial_count, queued_count,
                             created_at, updated_at, method, sweep_state, max_trials, trial_budget, max_concurrent, max_failures, pruner, launched_by)
         SELECT p.id, $2, $3, $4::jsonb, $5, $6, $7, 'queued', $8, $8, $9, $9, $10, $11::jsonb, $12, $13, $14, $15, $16::jsonb, $17
           FROM projects p WHERE p.slug = $1 RETURNING id`,
        [
          spec.project, spec.name, spec.template, JSON.stringify(spec), spec.metric.name, spec.metric.goal, spec.maxRetries, first.trials.length, now,
          spec.method, JSON.stringify(first.state), spec.maxTrials ?? null, search.budget(spec.maxTrials), spec.maxConcurrent ?? null,
          spec.maxFailures ?? null, spec.pruner ? JSON.stringify(spec.pruner) : null, actor,
        ],
      );
      // The new trials are not pushed: nobody follows a sweep whose id was not known yet.
      await this.trials.insertForSweep(tx, row!.id, 0, first.trials, now);
      const ls = (await LockedSweep.lock(tx, row!.id, now))!;
      ls.changes.sweep(ls.head);
      await ls.record({ action: 'created', actor, detail: first.refused.length > 0 ? { refused: first.refused } : {} });
      await this.followUps.continue(ls);
      return ls.changes;
    });
  }

  async findSweep(id: string): Promise<SweepHead | null> {
    const rows = await sql(this.db.manager, `SELECT ${SWEEP_HEAD_COLUMNS} ${FROM_SWEEPS} WHERE s.id = $1`, [id]);
    return rows[0] ? toSweepHead(rows[0]) : null;
  }

  /** The sweep with its spec and every trial, read from one snapshot so the counts agree with the rows. */
  async findSweepWithTrials(id: string): Promise<{ sweep: SweepHead; spec: SweepSpec; trials: TrialRow[] } | null> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const rows = await sql(tx, `SELECT ${SWEEP_HEAD_COLUMNS}, s.spec ${FROM_SWEEPS} WHERE s.id = $1`, [id]);
      if (!rows[0]) return null;
      return { sweep: toSweepHead(rows[0]), spec: rows[0].spec as SweepSpec, trials: await this.trials.findLeaderboardRows(id, tx) };
    });
  }

  /**
   * A page of sweeps, newest first, each with its best score (the `(sweep_id, score)` index's first
   * entry from the better end), and how many there are in all.
   */
  async findSweepPage(query: SweepListQuery): Promise<{ rows: { head: SweepHead; best: number | null }[]; total: number }> {
    const where = query.project === undefined ? '' : 'WHERE p.slug = $3';
    const values: unknown[] = [query.limit, query.offset, ...(query.project === undefined ? [] : [query.project])];
    const rows = await sql(
      this.db.manager,
      `SELECT ${SWEEP_HEAD_COLUMNS},
              CASE WHEN s.metric_goal = 'maximize'
                THEN (SELECT max(t.score) FROM trials t WHERE t.sweep_id = s.id AND t.score IS NOT NULL)
                ELSE (SELECT min(t.score) FROM trials t WHERE t.sweep_id = s.id AND t.score IS NOT NULL) END AS best_score
       ${FROM_SWEEPS} ${where} ORDER BY s.created_at DESC, s.id LIMIT $1 OFFSET $2`,
      values,
    );
    const [count] = await sql<{ n: string }>(this.db.manager, `SELECT count(*) AS n ${FROM_SWEEPS} ${where.replace('$3', '$1')}`, values.slice(2));
    return {
      rows: rows.map((r) => ({ head: toSweepHead(r), best: r.best_score === null || r.best_score === undefined ? null : Number(r.best_score) })),
      total: Number(count?.n ?? 0),
    };
  }

  /** Every project, by slug, with its number of sweeps (a count over the sweeps' project index). */
  async findProjectCounts(): Promise<{ slug: string; sweeps: number }[]> {
    const rows = await sql<{ slug: string; n: string }>(
      this.db.manager,
      'SELECT p.slug, count(s.id) AS n FROM projects p LEFT JOIN sweeps s ON s.project_id = p.id GROUP BY p.slug ORDER BY p.slug',
    );
    return rows.map((r) => ({ slug: r.slug, sweeps: Number(r.n) }));
  }

  async findRecentSweeps(limit: number): Promise<SweepHead[]> {
    const rows = await sql(this.db.manager, `SELECT ${SWEEP_HEAD_COLUMNS} ${FROM_SWEEPS} ORDER BY s.created_at DESC LIMIT $1`, [limit]);
    return rows.map((r) => toSweepHead(r));
  }

  /**
   * Unfinished sweeps whose follow-up is due and was not run (a crash between a write and its
   * follow-up): nothing open, a stop with leftovers, or too many failures. The reaper runs their
   * follow-ups; the partial index on unfinished sweeps keeps this a small scan.
   */
  async findSweepsDueFollowUp(limit: number): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      this.db.manager,
      `SELECT id FROM sweeps WHERE status IN ('queued', 'running', 'paused', 'stopping')
         AND (queued_count + leased_count + running_count = 0 OR (status = 'stopping' AND queued_count + paused_count > 0)
              OR (max_failures IS NOT NULL AND failed_count > max_failures))
       ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}
