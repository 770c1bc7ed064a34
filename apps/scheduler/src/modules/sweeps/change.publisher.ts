import { Injectable } from '@nestjs/common';
import { LivePublisher } from '../live/live.publisher.js';
import { toTrialSummary } from '../trials/trial.mapper.js';
import { WorkerPushPublisher } from '../worker-push/worker-push.publisher.js';
import type { Changes } from './sweep-changes.js';
import { toSweepSummary } from './sweep.mapper.js';

/**
 * The one path that pushes what a committed write changed: stop orders to the workers that hold
 * the trials (first: a cancel must reach its worker within a second), then trials, sweep heads and
 * events to dashboards that follow them. One message per changed row, each small; nothing here
 * reads the database.
 */
@Injectable()
export class ChangePublisher {
  constructor(
    private readonly live: LivePublisher,
    private readonly workers: WorkerPushPublisher,
  ) {}

  publish(changes: Changes): void {
    for (const { workerId, order } of changes.stops) this.workers.stopTrial(workerId, order);
    for (const t of changes.trials.values()) if (this.live.watchesTrials(t.sweepId)) this.live.trialUpdated(toTrialSummary(t));
    for (const h of changes.sweeps.values()) if (this.live.watchesSweep(h.id)) this.live.sweepUpdated(toSweepSummary(h));
    for (const e of changes.events) this.live.sweepEvent(e);
  }
}
