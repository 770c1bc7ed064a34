import { Injectable } from '@nestjs/common';
import type { TrialDetail } from '@ablate/contracts';
import { isUuid } from '../../common/zod-body.pipe.js';
import { ArtifactsService } from '../artifacts/artifacts.service.js';
import { trialNotFound } from '../trials/trial-not-found.js';
import { TrialRunsRepository } from './trial-runs.repository.js';

/** `GET /api/trials/:id`: a public read, like the leaderboard; no access check until teams exist. */
@Injectable()
export class TrialDetailService {
  constructor(
    private readonly repository: TrialRunsRepository,
    private readonly artifacts: ArtifactsService,
  ) {}

  async detail(trialId: string): Promise<TrialDetail> {
    const found = isUuid(trialId) ? await this.repository.findTrialWithSweep(trialId) : null;
    if (!found) throw trialNotFound(trialId);
    const [runs, checkpoint] = await Promise.all([this.repository.findRuns(trialId), this.artifacts.checkpointInfo(trialId)]);
    return { ...found, runs, checkpoint };
  }
}
