import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiError, ErrorCode } from '@ablate/contracts';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../config/scheduler.config.js';

/** Worker routes need `Authorization: Bearer <ABLATE_WORKER_TOKEN>`: only our workers may lease and report. */
@Injectable()
export class WorkerAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(SCHEDULER_CONFIG) config: SchedulerConfig) {
    this.expected = Buffer.from(`Bearer ${config.workerToken}`);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = Buffer.from(header);
    if (given.length === this.expected.length && timingSafeEqual(given, this.expected)) return true;
    throw new ApiError(ErrorCode.Unauthorized, 'Worker calls need the header "Authorization: Bearer <ABLATE_WORKER_TOKEN>".');
  }
}
