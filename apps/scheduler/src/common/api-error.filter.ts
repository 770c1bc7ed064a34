import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { logText, toApiError } from './to-api-error.js';

/**
 * Turns every error into an `ApiErrorBody` with the status of its code (`toApiError` decides which).
 * The caller's mistakes are not logged, an outage logs one line, and only a genuine 500 logs its
 * stack; no stack ever reaches the caller.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const { error, log } = toApiError(exception);
    if (log === 'stack') this.logger.error(logText(exception, log));
    if (log === 'line') {
      const req = http.getRequest<Request>();
      this.logger.error(`${req.method} ${req.path.slice(0, 200)}: ${error.code}: ${logText(exception, log)}`);
    }
    // An aborted request, or an error raised after the answer began, has no one left to answer.
    if (res.headersSent || res.destroyed) return;
    res.status(error.status).json(error.toBody());
  }
}
