import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  HeartbeatRequest,
  LeaseRequest,
  RegisterWorkerRequest,
  type HeartbeatResponse,
  type LeaseResponse,
  type RegisterWorkerResponse,
  type WorkerList,
} from '@ablate/contracts';
import { WorkerAuthGuard } from '../../common/worker-auth.guard.js';
import { AuthenticatedWorker, WorkerIdentityGuard } from '../../common/worker-identity.guard.js';
import { ZodBody } from '../../common/zod-body.pipe.js';
import { WorkersService } from './workers.service.js';

/** An agent that sends no heartbeat body renews nothing (it names no trial). */
const HeartbeatBody = HeartbeatRequest.optional().transform((b) => b ?? { trialIds: [] });

/** An agent of the first release sends `{}` (or nothing): one free slot, no GPU. */
function leaseBody(): ZodBody<LeaseRequest> {
  return new ZodBody(LeaseRequest.optional().transform((b) => b ?? { freeGpus: 0, freeSlots: 1 }));
}

@Controller('api/workers')
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  /** A user route, like the sweep list: who is connected and what each runs. */
  @Get()
  list(): Promise<WorkerList> {
    return this.workers.list();
  }

  @Post()
  @UseGuards(WorkerAuthGuard)
  register(
    @Body(new ZodBody(RegisterWorkerRequest)) body: RegisterWorkerRequest,
  ): Promise<RegisterWorkerResponse> {
    return this.workers.register(body);
  }

  @Post(':id/heartbeat')
  @HttpCode(200)
  @UseGuards(WorkerAuthGuard, WorkerIdentityGuard)
  heartbeat(
    @AuthenticatedWorker() caller: string,
    @Param('id') id: string,
    @Body(new ZodBody(HeartbeatBody)) body: HeartbeatRequest,
  ): Promise<HeartbeatResponse> {
    return this.workers.heartbeat(caller, id, body);
  }

  @Post(':id/lease')
  @HttpCode(200)
  @UseGuards(WorkerAuthGuard, WorkerIdentityGuard)
  lease(
    @AuthenticatedWorker() caller: string,
    @Param('id') id: string,
    @Body(leaseBody()) body: LeaseRequest,
  ): Promise<LeaseResponse> {
    return this.workers.lease(caller, id, body);
  }
}
