import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { RegisterWorkerRequest, type LeaseResponse, type RegisterWorkerResponse } from '@ablate/contracts';
import { WorkerAuthGuard } from '../../common/worker-auth.guard.js';
import { ZodBody } from '../../common/zod-body.pipe.js';
import { WorkersService } from './workers.service.js';

@Controller('api/workers')
@UseGuards(WorkerAuthGuard)
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  @Post()
  register(@Body(new ZodBody(RegisterWorkerRequest)) body: RegisterWorkerRequest): Promise<RegisterWorkerResponse> {
    return this.workers.register(body);
  }

  @Post(':id/heartbeat')
  @HttpCode(204)
  heartbeat(@Param('id') id: string): Promise<void> {
    return this.workers.heartbeat(id);
  }

  @Post(':id/lease')
  @HttpCode(200)
  lease(@Param('id') id: string): Promise<LeaseResponse> {
    return this.workers.lease(id);
  }
}
