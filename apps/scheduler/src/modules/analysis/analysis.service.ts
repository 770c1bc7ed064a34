import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, echo, type SweepAnalysis } from '@ablate/contracts';
import { isUuid } from '../../common/zod-body.pipe.js';
import { AnalysisRepository } from './analysis.repository.js';
import { analyseSweep } from './sweep-analysis.js';

/** Sweeps whose last analysis is kept (the ones open in dashboards). */
const KEPT = 32;

/**
 * `GET /api/sweeps/:id/analysis`: read once, computed in TypeScript (10,000 trials: a few hundred
 * milliseconds, most of it reading). The answer is kept with the sweep's finished-trial counts and
 * reused while they are unchanged, so every viewer that asks after a trial finishes shares one
 * computation (and the ones in flight share it too).
 */
@Injectable()
export class AnalysisService {
  private readonly kept = new Map<string, { version: string; answer: Promise<SweepAnalysis> }>();

  constructor(private readonly analysis: AnalysisRepository) {}

  async analyse(sweepId: string): Promise<SweepAnalysis> {
    const version = isUuid(sweepId) ? await this.analysis.findVersion(sweepId) : null;
    if (version === null) throw notFound(sweepId);
    const kept = this.kept.get(sweepId);
    if (kept?.version === version) return kept.answer;
    const answer = this.compute(sweepId);
    this.kept.delete(sweepId);
    this.kept.set(sweepId, { version, answer });
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    // A failure (the database away) is not kept.
    answer.catch(() => this.kept.get(sweepId)?.answer === answer && this.kept.delete(sweepId));
    return answer;
  }

  private async compute(sweepId: string): Promise<SweepAnalysis> {
    const input = await this.analysis.findInput(sweepId);
    if (!input) throw notFound(sweepId);
    return analyseSweep(input);
  }
}

function notFound(sweepId: string): ApiError {
  return new ApiError(ErrorCode.SweepNotFound, `No sweep with id "${echo(sweepId)}". List sweeps with GET /api/sweeps.`);
}
