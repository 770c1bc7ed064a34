import type { SweepDetail } from '@ablate/contracts';
import { notFound } from 'next/navigation';
import { getSchedulerConfig } from '@/modules/scheduler/scheduler-config';
import { describeSchedulerError, getSchedulerClient, isNotFound } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { LeaderboardView } from '@/modules/leaderboard/views/leaderboard.view';

export const dynamic = 'force-dynamic';

export default async function SweepPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let detail: SweepDetail;
  try {
    detail = await getSchedulerClient().getSweep(id);
  } catch (error) {
    if (isNotFound(error)) notFound();
    return <SchedulerUnavailable failure={describeSchedulerError(error)} />;
  }
  return <LeaderboardView detail={detail} publicApiUrl={getSchedulerConfig().publicApiUrl} />;
}
