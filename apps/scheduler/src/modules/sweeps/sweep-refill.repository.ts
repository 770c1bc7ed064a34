import { Injectable } from '@nestjs/common';
import type { SweepSpec, ValidationIssue } from '@ablate/contracts';
import { sql } from '../../database/transaction.js';
import { SweepSearch, type SearchState } from '../search/index.js';
import { TrialsRepository } from '../trials/trials.repository.js';
import type { LockedSweep } from './locked-sweep.repository.js';
import { openTrials } from './sweep-lifecycle.js';

/**
 * Asks a sweep's search for trials and inserts them, under the sweep's lock: after a trial of a
 * TPE sweep finishes (it learns from the results), once nothing of any sweep is left open, and when
 * `maxTrials` is raised. Reads the spec and `sweep_state` (a TPE or random spec is small: its
 * spaces, not a list of trials) and, for TPE only, the finished trials.
 */
@Injectable()
export class SweepRefill {
  constructor(private readonly trials: TrialsRepository) {}

  /** Inserts what the search proposes now; returns how many trials it added and what the template refused. */
  async refill(ls: LockedSweep): Promise<{ added: number; refused: string[] }> {
    const { spec, state } = await this.readSearch(ls);
    const search = new SweepSearch(spec);
    const history = search.needsHistory ? await this.trials.findHistory(ls.tx, ls.id) : [];
    const out = search.refill({
      state: state ?? search.initialState(),
      history,
      created: ls.head.trialCount,
      open: openTrials(ls.head.counts),
      maxTrials: ls.head.maxTrials ?? undefined,
    });
    if (out.trials.length === 0 && state !== null && out.state.proposed === state.proposed) return { added: 0, refused: out.refused };
    const inserted = await this.trials.insertForSweep(ls.tx, ls.id, ls.head.trialCount, out.trials, ls.now);
    for (const t of inserted) ls.changes.trial(t);
    await ls.addTrials(inserted.length, out.state);
    return { added: inserted.length, refused: out.refused };
  }

  /**
   * Raises the budget to `maxTrials` (the caller checked it grows) and records the trials it makes
   * in all; issues when the spec forbids it (random and TPE open whole configurations only).
   */
  async raise(ls: LockedSweep, maxTrials: number): Promise<ValidationIssue[]> {
    const { spec } = await this.readSearch(ls);
    const repeats = spec.repeats ?? 1;
    if (spec.method !== 'grid' && maxTrials % repeats !== 0) {
      return [{ path: 'maxTrials', message: `maxTrials (${maxTrials}) must be a multiple of repeats (${repeats}) so every configuration runs all its seeds` }];
    }
    await ls.setBudget(maxTrials, new SweepSearch(spec).budget(maxTrials));
    return [];
  }

  private async readSearch(ls: LockedSweep): Promise<{ spec: SweepSpec; state: SearchState | null }> {
    const [row] = await sql<{ spec: SweepSpec; sweep_state: SearchState | null }>(ls.tx, `SELECT spec, sweep_state FROM sweeps WHERE id = $1`, [ls.id]);
    return { spec: row!.spec, state: row!.sweep_state };
  }
}
