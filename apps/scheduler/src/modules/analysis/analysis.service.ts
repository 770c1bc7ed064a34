import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, echo, type SweepAnalysis } from '@ablate/contracts';
import { isUuid } from '../../common/zod-body.pipe.js';
import { AnalysisRepository } from './analysis.repository.js';
import { analyseSweep } from './sweep-analysis.js';

/** `GET /api/sweeps/:id/analysis`: read once, computed in TypeScript (10,000 trials: tens of milliseconds). */
@Injectable()
export class AnalysisService {
  constructor(private readonly analysis: AnalysisRepository) {}

  async analyse(sweepId: string): Promise<SweepAnalysis> {
    const input = isUuid(sweepId) ? await this.analysis.findInput(sweepId) : null;
    if (!input) throw new ApiError(ErrorCode.SweepNotFound, `No sweep with id "${echo(sweepId)}". List sweeps with GET /api/sweeps.`);
    return analyseSweep(input);
  }
}
