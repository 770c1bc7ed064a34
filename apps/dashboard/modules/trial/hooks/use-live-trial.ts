'use client';

import { FINISHED_TRIAL_STATUSES, TrialLogPush, TrialLogTail, TrialSummary, type MetricPoint, type TrialDetail, type TrialLogLine } from '@ablate/contracts';
import { useEffect, useRef, useState } from 'react';
import { createBrowserClient } from '@/modules/scheduler/browser-client';
import { createLiveSocket, watchConnection, type ConnectionState } from '@/modules/scheduler/live-socket';
import { mergeLogLines } from '../lib/log-lines';

export interface LiveTrial {
  detail: TrialDetail;
  points: MetricPoint[];
  lines: TrialLogLine[];
  /** null when the trial had finished when the page loaded (nothing to follow). */
  connection: ConnectionState | null;
}

/**
 * Follows one trial on `/live`: its log (`trial:subscribe`, then `trial:log` pushes) and its
 * state (`trial:updated` in its sweep's room). When its step or status moves, the curves and the
 * detail (runs, checkpoint) are fetched again. A finished trial is shown as loaded, with no socket.
 */
export function useLiveTrial(init: Omit<LiveTrial, 'connection'>, apiUrl: string): LiveTrial {
  const [detail, setDetail] = useState(init.detail);
  const [points, setPoints] = useState(init.points);
  const [lines, setLines] = useState(init.lines);
  const finishedAtLoad = FINISHED_TRIAL_STATUSES.includes(init.detail.trial.status);
  const [connection, setConnection] = useState<ConnectionState | null>(finishedAtLoad ? null : 'connecting');
  const seen = useRef({ step: init.detail.trial.step, status: init.detail.trial.status });
  const trialId = init.detail.trial.id;
  const sweepId = init.detail.sweep.id;

  useEffect(() => {
    if (finishedAtLoad) return;
    const api = createBrowserClient(apiUrl);
    const socket = createLiveSocket(apiUrl);
    const refresh = () => {
      void api.getTrialMetrics(trialId).then((r) => setPoints(r.points), () => undefined);
      void api.getTrial(trialId).then(setDetail, () => undefined);
    };
    const stopWatching = watchConnection(socket, setConnection);
    const subscribe = () => {
      socket.emit('trial:subscribe', trialId, (result) => {
        const tail = result.ok ? TrialLogTail.safeParse(result.data) : null;
        if (tail?.success) setLines((current) => mergeLogLines(current, tail.data.lines));
      });
      socket.emit('sweep:subscribe', sweepId, () => undefined);
      // Whatever happened while disconnected.
      refresh();
    };
    const onLog = (raw: unknown) => {
      const push = TrialLogPush.safeParse(raw);
      if (push.success && push.data.trialId === trialId) setLines((current) => mergeLogLines(current, push.data.lines));
    };
    const onTrial = (raw: unknown) => {
      const parsed = TrialSummary.safeParse(raw);
      if (!parsed.success || parsed.data.id !== trialId) return;
      const trial = parsed.data;
      setDetail((current) => ({ ...current, trial }));
      if (trial.step !== seen.current.step || trial.status !== seen.current.status) refresh();
      seen.current = { step: trial.step, status: trial.status };
    };
    socket.on('connect', subscribe);
    socket.on('trial:log', onLog);
    socket.on('trial:updated', onTrial);
    return () => {
      stopWatching();
      socket.off('connect', subscribe);
      socket.off('trial:log', onLog);
      socket.off('trial:updated', onTrial);
      if (socket.connected) {
        socket.emit('trial:unsubscribe', trialId);
        socket.emit('sweep:unsubscribe', sweepId);
      }
      socket.disconnect();
    };
  }, [apiUrl, trialId, sweepId, finishedAtLoad]);

  return { detail, points, lines, connection };
}
