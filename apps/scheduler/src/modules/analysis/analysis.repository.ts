import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SweepSpec } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { sql } from '../../database/transaction.js';
import { candidateKnobs, type AnalysedTrial, type KnobValue } from './analysis-knobs.js';
import type { AnalysisInput } from './sweep-analysis.js';

/** Reads what the analysis needs in one snapshot: the spec, and only the knob values of finished trials (not their whole params). */
@Injectable()
export class AnalysisRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * What the analysis depends on, as a key: finished trials never change again and their counts
   * only grow, so equal counts mean the same finished trials. Null when no sweep has the id.
   */
  async findVersion(sweepId: string): Promise<string | null> {
    const [row] = await sql<{ v: string }>(this.db.manager, `SELECT concat_ws('|', completed_count, pruned_count, trial_count) AS v FROM sweeps WHERE id = $1`, [sweepId]);
    return row?.v ?? null;
  }

  /** Null when no sweep has the id. */
  findInput(sweepId: string): Promise<AnalysisInput | null> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const [sweep] = await sql<{ spec: SweepSpec; metric_name: string; metric_goal: 'minimize' | 'maximize' }>(
        tx,
        'SELECT spec, metric_name, metric_goal FROM sweeps WHERE id = $1',
        [sweepId],
      );
      if (!sweep) return null;
      const knobNames = candidateKnobs(sweep.spec.parameters);
      // jsonb_agg over the knob names keeps their order; a param a trial lacks (a condition) is JSON null.
      const rows = await sql<{ index: number; status: string; score: number; knobs: KnobValue[] | null }>(
        tx,
        `SELECT t.index, t.status, t.score,
                (SELECT jsonb_agg(t.params -> u.k ORDER BY u.i) FROM unnest($2::text[]) WITH ORDINALITY AS u(k, i)) AS knobs
           FROM trials t
          WHERE t.sweep_id = $1 AND t.score IS NOT NULL AND t.status IN ('completed', 'pruned')
          ORDER BY t.finished_at NULLS LAST, t.index`,
        [sweepId, knobNames],
      );
      const finished: AnalysedTrial[] = rows.map((r) => ({ index: r.index, status: r.status, score: r.score, values: r.knobs ?? [] }));
      return { sweepId, metric: { name: sweep.metric_name, goal: sweep.metric_goal }, parameters: sweep.spec.parameters, knobNames, finished };
    });
  }
}
