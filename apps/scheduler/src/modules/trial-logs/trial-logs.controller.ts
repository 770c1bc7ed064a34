import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { TrialLogBatch, type TrialLogBatchResponse, type TrialLogTail } from '@ablate/contracts';
import { WorkerAuthGuard } from '../../common/worker-auth.guard.js';
import { AuthenticatedWorker, WorkerIdentityGuard } from '../../common/worker-identity.guard.js';
import { ZodBody } from '../../common/zod-body.pipe.js';
import { TrialLogsService } from './trial-logs.service.js';

@Controller('api/trials')
export class TrialLogsController {
  constructor(private readonly logs: TrialLogsService) {}

  /** A user route: the trial's stored log tail. */
  @Get(':id/logs')
  tail(@Param('id') id: string): Promise<TrialLogTail> {
    return this.logs.tail(id);
  }

  /** The worker holding the trial sends its next lines. */
  @Post(':id/logs')
  @HttpCode(200)
  @UseGuards(WorkerAuthGuard, WorkerIdentityGuard)
  append(
    @AuthenticatedWorker() workerId: string,
    @Param('id') id: string,
    @Body(new ZodBody(TrialLogBatch)) body: TrialLogBatch,
  ): Promise<TrialLogBatchResponse> {
    return this.logs.append(workerId, id, body);
  }
}
