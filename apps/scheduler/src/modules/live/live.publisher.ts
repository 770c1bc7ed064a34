import { Injectable } from '@nestjs/common';
import type { ClientToServerEvents, ServerToClientEvents, SweepEvent, SweepSummary, TrialSummary, WorkerSummary } from '@ablate/contracts';
import type { Namespace } from 'socket.io';

export const SWEEPS_ROOM = 'sweeps';
/** Dashboards following the worker nodes (`workers:subscribe`). */
export const WORKERS_ROOM = 'workers';
export const sweepRoom = (sweepId: string) => `sweep:${sweepId}`;

/** Pushes changes to subscribed dashboards. Injectable so services never touch socket.io directly. */
@Injectable()
export class LivePublisher {
  private namespace: Namespace<ClientToServerEvents, ServerToClientEvents> | null = null;

  attach(namespace: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    this.namespace = namespace;
  }

  /**
   * Whether a dashboard follows the sweep's trials (its room has a socket). socket.io encodes a
   * broadcast before it looks at the room, and a sweep nobody watches changes hundreds of times a
   * second under zero-work trials: the publisher skips the mapping and the encoding then. The
   * adapter is socket.io's in-memory one (one scheduler process), so its rooms are all the rooms.
   */
  watchesTrials(sweepId: string): boolean {
    return this.namespace?.adapter.rooms.has(sweepRoom(sweepId)) ?? false;
  }

  /** Whether a dashboard follows the sweep's head: the sweep list or the sweep's own page. */
  watchesSweep(sweepId: string): boolean {
    const rooms = this.namespace?.adapter.rooms;
    return rooms !== undefined && (rooms.has(SWEEPS_ROOM) || rooms.has(sweepRoom(sweepId)));
  }

  trialUpdated(trial: TrialSummary): void {
    this.namespace?.to(sweepRoom(trial.sweepId)).emit('trial:updated', trial);
  }

  sweepUpdated(sweep: SweepSummary): void {
    this.namespace?.to([SWEEPS_ROOM, sweepRoom(sweep.id)]).emit('sweep:updated', sweep);
  }

  /** A worker registered, heartbeated or was lost, to the workers page. */
  workerUpdated(worker: WorkerSummary): void {
    this.namespace?.to(WORKERS_ROOM).emit('worker:updated', worker);
  }

  /** A recorded action on the sweep, to the sweep's room (the sweep page's history). */
  sweepEvent(event: SweepEvent): void {
    this.namespace?.to(sweepRoom(event.sweepId)).emit('sweep:event', event);
  }
}
