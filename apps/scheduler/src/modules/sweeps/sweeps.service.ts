import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, SweepListQuery, echo, planSweep, rankTrials, type SweepDetail, type SweepEventList, type SweepList, type SweepSummary } from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { SweepSearch } from '../search/index.js';
import { SweepPlacement } from '../workers/sweep-placement.repository.js';
import { toTrialSummary } from '../trials/trial.mapper.js';
import { ChangePublisher } from './change.publisher.js';
import { SweepEventsRepository } from './sweep-events.repository.js';
import { toSweepSummary } from './sweep.mapper.js';
import { SweepsRepository } from './sweeps.repository.js';

@Injectable()
export class SweepsService {
  constructor(
    private readonly sweeps: SweepsRepository,
    private readonly events: SweepEventsRepository,
    private readonly clock: Clock,
    private readonly publisher: ChangePublisher,
    private readonly placement: SweepPlacement,
  ) {}

  /**
   * Validates the spec (every issue at once; nothing is stored for a refused spec), asks its search
   * for the first trials (a grid's or random sweep's whole budget, a TPE sweep's first window) and
   * stores the sweep with them and its `created` event.
   */
  async create(rawSpec: unknown, actor: string): Promise<SweepSummary> {
    const { spec } = planSweep(rawSpec);
    const search = new SweepSearch(spec);
    const first = search.refill({ state: search.initialState(), history: [], created: 0, open: 0, maxTrials: spec.maxTrials });
    const now = this.clock.now();
    const changes = await this.sweeps.createSweep({ spec, search, first }, actor, now);
    // A sweep asking for more GPUs than any live worker has, or command trials no live worker runs, says so from the start.
    if (spec.resources?.gpus || spec.template === 'command') changes.merge(await this.placement.explain(now));
    this.publisher.publish(changes);
    return toSweepSummary([...changes.sweeps.values()].at(-1)!);
  }

  /**
   * A page of sweeps, newest first, with each one's best score; their counts come from the sweep
   * rows, no trial is counted, and the best score is one index probe per sweep.
   */
  async list(query: SweepListQuery = SweepListQuery.parse({})): Promise<SweepList> {
    const [{ rows, total }, projects] = await Promise.all([this.sweeps.findSweepPage(query), this.sweeps.findProjectCounts()]);
    return { sweeps: rows.map(({ head, best }) => ({ ...toSweepSummary(head), best })), total, projects };
  }

  async getDetail(id: string): Promise<SweepDetail> {
    const found = isUuid(id) ? await this.sweeps.findSweepWithTrials(id) : null;
    if (!found) throw sweepNotFound(id);
    return {
      sweep: { ...toSweepSummary(found.sweep), spec: found.spec },
      trials: rankTrials(found.trials.map(toTrialSummary), found.sweep.metricGoal),
    };
  }

  /** Current summary of one sweep. */
  async summary(id: string): Promise<SweepSummary> {
    const sweep = isUuid(id) ? await this.sweeps.findSweep(id) : null;
    if (!sweep) throw sweepNotFound(id);
    return toSweepSummary(sweep);
  }

  /** Every recorded action on the sweep, oldest first. */
  async listEvents(id: string): Promise<SweepEventList> {
    if (!isUuid(id) || !(await this.sweeps.findSweep(id))) throw sweepNotFound(id);
    return { events: await this.events.listEvents(id) };
  }
}

export function sweepNotFound(id: string): ApiError {
  return new ApiError(ErrorCode.SweepNotFound, `No sweep with id "${echo(id)}". List sweeps with GET /api/sweeps.`);
}
