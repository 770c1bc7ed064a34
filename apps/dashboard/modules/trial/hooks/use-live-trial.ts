'use client';

import { FINISHED_TRIAL_STATUSES, TrialLogPush, TrialLogTail, TrialSummary, type MetricPoint, type TrialDetail, type TrialLogLine } from '@ablate/contracts';
import { useEffect, useRef, useState } from 'react';
import { createBrowserClient } from '@/modules/scheduler/browser-client';
import { createLiveSocket, followLive, type ConnectionState } from '@/modules/scheduler/live-socket';
import { mergeLogLines } from '../lib/log-lines';
import { createPointsFollower } from '../lib/metric-points';

export interface LiveTrial {
  detail: TrialDetail;
  points: MetricPoint[];
  lines: TrialLogLine[];
  /** null when the trial had finished when the page loaded (nothing to follow). */
  connection: ConnectionState | null;
}

/**
 * Follows one trial on `/live`: its log (`trial:subscribe`, then `trial:log` pushes) and its
 * state (`trial:updated` in its sweep's room, which carries the trial's summary). A new step
 * fetches only the points after the highest step shown (`afterStep`) and appends them; a new
 * status (requeued, finished) and each (re)connect fetch every point and the detail (runs,
 * checkpoint) again. A finished trial is shown as loaded, with no socket.
 */
export function useLiveTrial(init: Omit<LiveTrial, 'connection'>, apiUrl: string): LiveTrial {
  const [detail, setDetail] = useState(init.detail);
  const [points, setPoints] = useState(init.points);
  const [lines, setLines] = useState(init.lines);
  const finishedAtLoad = FINISHED_TRIAL_STATUSES.includes(init.detail.trial.status);
  const [connection, setConnection] = useState<ConnectionState | null>(finishedAtLoad ? null : 'connecting');
  const seen = useRef({ step: init.detail.trial.step, status: init.detail.trial.status });
  // What is shown, read when the next `afterStep` is asked (state would be stale in the handlers).
  const shown = useRef(init.points);
  const trialId = init.detail.trial.id;
  const sweepId = init.detail.sweep.id;

  useEffect(() => {
    if (finishedAtLoad) return;
    const api = createBrowserClient(apiUrl);
    const follower = createPointsFollower({
      fetch: (afterStep) => api.getTrialMetrics(trialId, afterStep === undefined ? {} : { afterStep }).then((r) => r.points),
      shown: () => shown.current,
      show: (merged) => {
        shown.current = merged;
        setPoints(merged);
      },
    });
    const refreshAll = () => {
      follower.request({ kind: 'all' });
      void api.getTrial(trialId).then(setDetail, () => undefined);
    };
    const stop = followLive(createLiveSocket(apiUrl), {
      connection: setConnection,
      subscribe: (socket) => {
        socket.emit('trial:subscribe', trialId, (result) => {
          const tail = result.ok ? TrialLogTail.safeParse(result.data) : null;
          if (tail?.success) setLines((current) => mergeLogLines(current, tail.data.lines));
        });
        socket.emit('sweep:subscribe', sweepId, () => undefined);
        // Whatever happened while disconnected.
        refreshAll();
      },
      on: {
        'trial:log': (raw) => {
          const push = TrialLogPush.safeParse(raw);
          if (push.success && push.data.trialId === trialId) setLines((current) => mergeLogLines(current, push.data.lines));
        },
        'trial:updated': (raw) => {
          const parsed = TrialSummary.safeParse(raw);
          if (!parsed.success || parsed.data.id !== trialId) return;
          const trial = parsed.data;
          setDetail((current) => ({ ...current, trial }));
          if (trial.status !== seen.current.status) refreshAll();
          else if (trial.step !== null && trial.step !== seen.current.step) follower.request({ kind: 'later', step: trial.step });
          seen.current = { step: trial.step, status: trial.status };
        },
      },
      leave: (socket) => {
        socket.emit('trial:unsubscribe', trialId);
        socket.emit('sweep:unsubscribe', sweepId);
      },
    });
    return () => {
      follower.stop();
      stop();
    };
  }, [apiUrl, trialId, sweepId, finishedAtLoad]);

  return { detail, points, lines, connection };
}
