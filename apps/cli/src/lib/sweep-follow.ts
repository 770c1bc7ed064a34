import {
  ApiError,
  LIVE_NAMESPACE,
  isBetter,
  rankTrials,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SweepSummary,
} from '@ablate/contracts';
import { Presets, SingleBar } from 'cli-progress';
import { io, type Socket } from 'socket.io-client';

const DONE = new Set(['completed', 'failed', 'cancelled']);

/**
 * Follows a sweep over socket.io (pushed, never polled) with a progress bar until it ends, and
 * resolves with its last summary. It works from counts and pushed events only: the subscription's
 * ack carries the top of the leaderboard and the counts, not every trial, so a sweep of 10,000
 * trials costs the same as one of ten. The bar's total is the trial budget (random and TPE sweeps
 * create trials as they go; a raised budget moves it).
 */
export async function followSweep(api: string, sweepId: string): Promise<SweepSummary> {
  let sweep: SweepSummary | null = null;
  let goal: 'minimize' | 'maximize' = 'maximize';
  let budget = 0;
  let best: number | null = null;
  const finished = () =>
    sweep ? sweep.counts.completed + sweep.counts.failed + sweep.counts.pruned + sweep.counts.cancelled : 0;
  const total = () => Math.max(sweep?.total ?? 0, budget, finished());
  const payload = () => ({
    status: sweep
      ? sweep.status === 'paused' || sweep.status === 'stopping'
        ? `${sweep.status}${sweep.reason ? ` (${sweep.reason})` : ''}`
        : sweep.status
      : '',
    running: sweep ? sweep.counts.leased + sweep.counts.running : 0,
    metric: sweep?.metric.name ?? '',
    best: best?.toFixed(4) ?? '-',
  });
  const bar = new SingleBar(
    {
      format: 'trials {bar} {value}/{total} | {status} | running {running} | best {metric} {best}',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const redraw = () => {
    bar.setTotal(total());
    bar.update(finished(), payload());
  };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
    new URL(LIVE_NAMESPACE, api).toString(),
    { transports: ['websocket'] },
  );
  try {
    return await new Promise<SweepSummary>((resolve, reject) => {
      const settle = () => sweep && DONE.has(sweep.status) && resolve(sweep);
      socket.on('connect', () => {
        // Also on every reconnect: the ack is the state to apply later events on.
        socket.emit('sweep:subscribe', sweepId, (res) => {
          if (!res.ok) return reject(new ApiError(res.error.code, res.error.message));
          const first = sweep === null;
          sweep = res.data.sweep;
          goal = sweep.metric.goal;
          budget = res.data.sweep.spec.maxTrials ?? 0;
          best = rankTrials(res.data.trials, goal)[0]?.score ?? null;
          if (first) bar.start(total(), finished(), payload());
          redraw();
          settle();
        });
      });
      socket.on('trial:updated', (t) => {
        if (t.sweepId !== sweepId || t.score === null || !isBetter(t.score, best, goal)) return;
        best = t.score;
        if (sweep) redraw();
      });
      socket.on('sweep:updated', (s) => {
        if (s.id !== sweepId || !sweep) return;
        sweep = s;
        redraw();
        settle();
      });
      socket.on('sweep:event', (e) => {
        const raised =
          e.action === 'max_trials_raised'
            ? (e.detail.maxTrials as { to?: unknown } | undefined)?.to
            : undefined;
        if (e.sweepId !== sweepId || typeof raised !== 'number' || !sweep) return;
        budget = raised;
        redraw();
      });
    });
  } finally {
    bar.stop();
    socket.close();
  }
}
