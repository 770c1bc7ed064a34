import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { TrialReport, type MetricPoint, type ReportResponse } from '@ablate/contracts';
import { WorkerAuthGuard } from '../../common/worker-auth.guard.js';
import { AuthenticatedWorker, WorkerIdentityGuard } from '../../common/worker-identity.guard.js';
import { ZodBody } from '../../common/zod-body.pipe.js';
import { TrialsService } from './trials.service.js';

@Controller('api/trials')
export class TrialsController {
  constructor(private readonly trials: TrialsService) {}

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

  @Get(':id/metrics')
  metrics(@Param('id') id: string): Promise<{ points: MetricPoint[] }> {
    return this.trials.metrics(id);
  }
}
