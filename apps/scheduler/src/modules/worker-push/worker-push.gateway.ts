import { Inject, Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import {
  WORKERS_NAMESPACE,
  type WorkerClientToServerEvents,
  type WorkerServerToClientEvents,
} from '@ablate/contracts';
import type { Socket } from 'socket.io';
import { logText, toApiError } from '../../common/to-api-error.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { WorkerCredentials } from '../workers/worker-credentials.service.js';
import { authenticateWorkerSocket } from './worker-socket-auth.js';
import { WorkerPushPublisher, workerRoom, type WorkersNamespace } from './worker-push.publisher.js';

type WorkerSocket = Socket<WorkerClientToServerEvents, WorkerServerToClientEvents>;

/** socket.io's error for a refused handshake: the client's `connect_error` gets `message` and `data`. */
type HandshakeError = Error & { data?: unknown };

/**
 * Workers connect here after registering, and the scheduler pushes them `trial:stop`. The handshake
 * is authenticated like a REST worker call (pool token and worker identity in `auth`); a refused
 * one gets the API error body in `connect_error.data` (`worker_not_found`: register again). Workers
 * send nothing on this channel: any event they send is ignored, and nothing a client sends can
 * throw out of a handler.
 */
@WebSocketGateway({ namespace: WORKERS_NAMESPACE })
export class WorkerPushGateway implements OnGatewayInit {
  private readonly logger = new Logger(WorkerPushGateway.name);
  private readonly poolToken: Buffer;

  constructor(
    @Inject(SCHEDULER_CONFIG) config: SchedulerConfig,
    private readonly credentials: WorkerCredentials,
    private readonly publisher: WorkerPushPublisher,
  ) {
    this.poolToken = Buffer.from(config.workerToken);
  }

  afterInit(namespace: WorkersNamespace): void {
    this.publisher.attach(namespace);
    namespace.use((socket, next) => {
      const handshake = { origin: socket.handshake.headers.origin, auth: socket.handshake.auth };
      authenticateWorkerSocket(handshake, this.poolToken, this.credentials).then(
        (workerId) => {
          (socket.data as { workerId?: string }).workerId = workerId;
          next();
        },
        (err: unknown) => next(this.refusal(err)),
      );
    });
    namespace.on('connection', (socket: WorkerSocket) => this.bind(socket));
  }

  private bind(socket: WorkerSocket): void {
    const { workerId } = socket.data as { workerId?: string };
    if (!workerId) return void socket.disconnect(true); // the middleware always sets it; never trust a gap
    void socket.join(workerRoom(workerId));
  }

  private refusal(err: unknown): HandshakeError {
    const { error, log } = toApiError(err);
    // Refusals (wrong token, unknown worker) are the caller's to fix; an outage or a bug is ours to log.
    if (log === 'stack') this.logger.error(`${WORKERS_NAMESPACE} handshake: ${logText(err, log)}`);
    if (log === 'line')
      this.logger.error(`${WORKERS_NAMESPACE} handshake: ${error.code}: ${logText(err, log)}`);
    const refused: HandshakeError = new Error(error.message);
    refused.data = error.toBody();
    return refused;
  }
}
