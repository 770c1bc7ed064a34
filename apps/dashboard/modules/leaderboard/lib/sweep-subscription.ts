import { SweepDetail, SweepEvent, SweepSummary, TrialSummary } from '@ablate/contracts';
import { followLive, type ConnectionState, type LiveSocket } from '@/modules/scheduler/live-socket';

/** What one sweep's `/live` subscription delivers, each payload parsed with its contract. */
export interface SweepSubscriber {
  connection(state: ConnectionState): void;
  /** A (re)subscription is sent; its snapshot follows. */
  subscribing(): void;
  /** The ack of a (re)subscription: the sweep and its top trials, or why it was refused. */
  snapshot(detail: SweepDetail | null, refusal: string | null): void;
  trial(trial: TrialSummary): void;
  sweep(summary: SweepSummary): void;
  event(event: SweepEvent): void;
}

/**
 * Subscribes to one sweep on every `connect` (a reconnect starts from a fresh snapshot) and hands
 * its events to `to`; anything that does not parse, or belongs to another sweep, is dropped.
 * Returns the cleanup: unsubscribe and disconnect.
 */
export function subscribeToSweep(socket: LiveSocket, sweepId: string, to: SweepSubscriber): () => void {
  return followLive(socket, {
    connection: (state) => to.connection(state),
    subscribe: (live) => {
      to.subscribing();
      live.emit('sweep:subscribe', sweepId, (result) => {
        if (!result.ok) return to.snapshot(null, result.error.message);
        const parsed = SweepDetail.safeParse(result.data);
        to.snapshot(parsed.success ? parsed.data : null, parsed.success ? null : 'The scheduler sent a leaderboard this dashboard does not understand.');
      });
    },
    on: {
      'trial:updated': (raw) => {
        const parsed = TrialSummary.safeParse(raw);
        if (parsed.success && parsed.data.sweepId === sweepId) to.trial(parsed.data);
      },
      'sweep:updated': (raw) => {
        const parsed = SweepSummary.safeParse(raw);
        if (parsed.success && parsed.data.id === sweepId) to.sweep(parsed.data);
      },
      'sweep:event': (raw) => {
        const parsed = SweepEvent.safeParse(raw);
        if (parsed.success && parsed.data.sweepId === sweepId) to.event(parsed.data);
      },
    },
    leave: (live) => live.emit('sweep:unsubscribe', sweepId),
  });
}
