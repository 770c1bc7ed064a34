import { Injectable } from '@nestjs/common';
import type {
  TrialStopOrder,
  WorkerClientToServerEvents,
  WorkerServerToClientEvents,
} from '@ablate/contracts';
import type { Namespace } from 'socket.io';

export type WorkersNamespace = Namespace<WorkerClientToServerEvents, WorkerServerToClientEvents>;

/** The room a worker's sockets join once their handshake proved its identity. */
export const workerRoom = (workerId: string) => `worker:${workerId}`;

/**
 * Pushes stop decisions to the worker running a trial, so a cancel or a prune reaches it within a
 * second instead of at its next epoch report (minutes on a slow epoch). Best effort by design:
 * with no socket connected nothing is sent, and the report answer and the heartbeat's `stop` list
 * still stop the trial.
 */
@Injectable()
export class WorkerPushPublisher {
  private namespace: WorkersNamespace | null = null;

  attach(namespace: WorkersNamespace): void {
    this.namespace = namespace;
  }

  /** Tells `workerId` to stop `order.trialId` now (cancelled, pruned or paused). */
  stopTrial(workerId: string, order: TrialStopOrder): void {
    this.namespace?.to(workerRoom(workerId)).emit('trial:stop', order);
  }
}
