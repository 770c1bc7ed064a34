import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { WORKER_IDENTITY_HEADER } from '@ablate/contracts';
import type { Request } from 'express';
import { WorkerCredentials } from '../modules/workers/worker-credentials.service.js';

/** A request whose worker identity was verified. */
interface IdentifiedRequest extends Request {
  authenticatedWorkerId?: string;
}

/**
 * Every worker route after registration: the `X-Ablate-Worker` header must carry a registered
 * worker's id and its secret. Runs after `WorkerAuthGuard` (the pool token). Services compare the
 * id with the one the call names (route `:id`, report `workerId`) and answer 403 when they differ.
 */
@Injectable()
export class WorkerIdentityGuard implements CanActivate {
  constructor(private readonly credentials: WorkerCredentials) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<IdentifiedRequest>();
    req.authenticatedWorkerId = await this.credentials.authenticate(req.headers[WORKER_IDENTITY_HEADER]);
    return true;
  }
}

/** The worker id `WorkerIdentityGuard` verified. */
export const AuthenticatedWorker = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const id = context.switchToHttp().getRequest<IdentifiedRequest>().authenticatedWorkerId;
  if (!id)
    throw new Error(
      '@AuthenticatedWorker() needs @UseGuards(WorkerAuthGuard, WorkerIdentityGuard) on the route.',
    );
  return id;
});
