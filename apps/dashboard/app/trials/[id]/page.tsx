import { ApiError, ErrorCode, type TrialDetail } from '@ablate/contracts';
import { notFound } from 'next/navigation';
import { getSchedulerConfig } from '@/modules/scheduler/scheduler-config';
import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { TrialView } from '@/modules/trial/views/trial.view';

export const dynamic = 'force-dynamic';

export default async function TrialPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const api = getSchedulerClient();
  let detail: TrialDetail;
  try {
    detail = await api.getTrial(id);
  } catch (error) {
    if (error instanceof ApiError && error.code === ErrorCode.TrialNotFound) notFound();
    return <SchedulerUnavailable failure={describeSchedulerError(error)} />;
  }
  // Either may fail without failing the page: it shows what it has and says so.
  const [points, lines] = await Promise.all([
    api.getTrialMetrics(id).then((r) => r.points, () => []),
    api.getTrialLogs(id).then((r) => r.lines, () => []),
  ]);
  return <TrialView init={{ detail, points, lines }} publicApiUrl={getSchedulerConfig().publicApiUrl} />;
}
