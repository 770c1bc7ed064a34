import { Injectable } from '@nestjs/common';
import type { ClientToServerEvents, ServerToClientEvents, TrialLogLine } from '@ablate/contracts';
import type { Namespace } from 'socket.io';

/** The `/live` room of one trial's log subscribers. */
export const trialLogRoom = (trialId: string) => `trial-log:${trialId}`;

/** Pushes new log lines to the trial's subscribers; injectable so the service never touches socket.io. */
@Injectable()
export class TrialLogPublisher {
  private namespace: Namespace<ClientToServerEvents, ServerToClientEvents> | null = null;

  attach(namespace: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    this.namespace = namespace;
  }

  lines(trialId: string, lines: TrialLogLine[]): void {
    this.namespace?.to(trialLogRoom(trialId)).emit('trial:log', { trialId, lines });
  }
}
