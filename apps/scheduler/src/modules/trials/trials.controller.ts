import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { TrialMetricsQuery, TrialReport, type ReportResponse, type TrialMetrics, type TrialSummary } from '@ablate/contracts';
import { WorkerAuthGuard } from '../../common/worker-auth.guard.js';
import { AuthenticatedWorker, WorkerIdentityGuard } from '../../common/worker-identity.guard.js';
import { ZodBody, ZodQuery } from '../../common/zod-body.pipe.js';
import { Actor } from '../sweeps/actor.js';
import { SweepSteeringService } from '../sweeps/sweep-steering.service.js';
import { TrialsService } from './trials.service.js';

@Controller('api/trials')
export class TrialsController {
  constructor(
    private readonly trials: TrialsService,
    private readonly steering: SweepSteeringService,
  ) {}

  @Post(':id/reports')
  @HttpCode(200)
  @UseGuards(WorkerAuthGuard, WorkerIdentityGuard)
  report(
    @AuthenticatedWorker() workerId: string,
    @Param('id') id: string,
    @Body(new ZodBody(TrialReport)) body: TrialReport,
  ): Promise<ReportResponse> {
    return this.trials.report(workerId, id, body);
  }

  /** The trial's curves; `?afterStep=N` only the points after step N (a live page appends them). */
  @Get(':id/metrics')
  metrics(@Param('id') id: string, @Query(new ZodQuery(TrialMetricsQuery)) query: TrialMetricsQuery): Promise<TrialMetrics> {
    return this.trials.metrics(id, query);
  }

  /** Cancels one trial (a user route); its worker is told to stop at once. */
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string, @Actor() actor: string): Promise<TrialSummary> {
    return this.steering.cancelTrial(id, actor);
  }
}
