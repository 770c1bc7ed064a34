import { SweepDetail, SweepEvent, SweepSummary, TrialSummary } from '@ablate/contracts';
import { watchConnection, type ConnectionState, type LiveSocket } from '@/modules/scheduler/live-socket';

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
  const stopWatching = watchConnection(socket, (state) => to.connection(state));
  const subscribe = () => {
    to.subscribing();
    socket.emit('sweep:subscribe', sweepId, (result) => {
      if (!result.ok) return to.snapshot(null, result.error.message);
      const parsed = SweepDetail.safeParse(result.data);
      to.snapshot(parsed.success ? parsed.data : null, parsed.success ? null : 'The scheduler sent a leaderboard this dashboard does not understand.');
    });
  };
  const onTrial = (raw: unknown) => {
    const parsed = TrialSummary.safeParse(raw);
    if (parsed.success && parsed.data.sweepId === sweepId) to.trial(parsed.data);
  };
  const onSweep = (raw: unknown) => {
    const parsed = SweepSummary.safeParse(raw);
    if (parsed.success && parsed.data.id === sweepId) to.sweep(parsed.data);
  };
  const onEvent = (raw: unknown) => {
    const parsed = SweepEvent.safeParse(raw);
    if (parsed.success && parsed.data.sweepId === sweepId) to.event(parsed.data);
  };
  socket.on('connect', subscribe);
  socket.on('trial:updated', onTrial);
  socket.on('sweep:updated', onSweep);
  socket.on('sweep:event', onEvent);
  return () => {
    stopWatching();
    socket.off('connect', subscribe);
    socket.off('trial:updated', onTrial);
    socket.off('sweep:updated', onSweep);
    socket.off('sweep:event', onEvent);
    if (socket.connected) socket.emit('sweep:unsubscribe', sweepId);
    socket.disconnect();
  };
}
