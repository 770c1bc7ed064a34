import { ApiError, ErrorCode } from '@ablate/contracts';
import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { parseCompareIds } from '@/modules/compare/lib/compare-href';
import { CompareEmpty, CompareView, type ComparedTrial } from '@/modules/compare/views/compare.view';

export const dynamic = 'force-dynamic';

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ids, dropped } = parseCompareIds((await searchParams).trials);
  const api = getSchedulerClient();
  const missing = [...dropped];
  const trials: ComparedTrial[] = [];
  try {
    const loaded = await Promise.all(
      ids.map(async (id) => {
        try {
          const [detail, metrics] = await Promise.all([api.getTrial(id), api.getTrialMetrics(id)]);
          return { detail, points: metrics.points };
        } catch (error) {
          if (error instanceof ApiError && error.code === ErrorCode.TrialNotFound) return id;
          throw error;
        }
      }),
    );
    for (const item of loaded) {
      if (typeof item === 'string') missing.push(item);
      else trials.push(item);
    }
  } catch (error) {
    return <SchedulerUnavailable failure={describeSchedulerError(error)} />;
  }
  if (trials.length < 2) return <CompareEmpty found={trials.length} missing={missing} />;
  return <CompareView trials={trials} missing={missing} />;
}
