import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ApiError, ErrorCode, type ApiErrorBody } from '@ablate/contracts';
import type { Response } from 'express';

/** Turns every error into an `ApiErrorBody` with the status of its code; never leaks a stack trace. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    res.status(status).json(body);
  }

  private toResponse(exception: unknown): { status: number; body: ApiErrorBody } {
    if (exception instanceof ApiError) return { status: exception.status, body: exception.toBody() };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return { status, body: { code: ErrorCode.RouteNotFound, message: 'No such route. See docs/api.md for the API.' } };
      }
      if (status === 400 || status === 413) {
        // body-parser: malformed JSON or a body over the size limit.
        return { status, body: { code: ErrorCode.ValidationFailed, message: `The request body could not be read: ${exception.message}` } };
      }
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { status: 500, body: { code: ErrorCode.Internal, message: 'Internal error; the scheduler log has the details.' } };
  }
}
