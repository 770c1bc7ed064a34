import type { SweepDetail } from '@ablate/contracts';
import { notFound } from 'next/navigation';
import { getSchedulerConfig } from '@/modules/scheduler/scheduler-config';
import { describeSchedulerError, getSchedulerClient, isNotFound } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { initialView, isDefaultView, viewQuery } from '@/modules/leaderboard/lib/leaderboard-view';
import { PAGE_SIZE } from '@/modules/leaderboard/lib/page-cache';
import { LeaderboardView } from '@/modules/leaderboard/views/leaderboard.view';

export const dynamic = 'force-dynamic';

export default async function SweepPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const api = getSchedulerClient();
  let detail: SweepDetail;
  try {
    // The first page of the leaderboard only (a screenful is ~25 rows): a 10,000-trial sweep's every
    // row is 5 MB nobody sees yet, and each row rendered here also travels in the page's RSC data.
    // The live subscription's ack brings the top SUBSCRIBE_TOP_TRIALS a moment later.
    detail = await api.getSweep(id, { top: PAGE_SIZE });
  } catch (error) {
    if (isNotFound(error)) notFound();
    return <SchedulerUnavailable failure={describeSchedulerError(error)} />;
  }
  const view = initialView(detail.sweep.spec.repeats);
  // Either may fail without failing the page: the live subscription loads both again.
  const [events, page] = await Promise.all([
    api.listSweepEvents(id).then((list) => list.events, () => []),
    isDefaultView(view) ? undefined : api.getLeaderboard(id, viewQuery(view, 0, PAGE_SIZE)).catch(() => undefined),
  ]);
  return <LeaderboardView init={{ sweep: detail.sweep, trials: detail.trials, events, view, page }} publicApiUrl={getSchedulerConfig().publicApiUrl} />;
}
