import type { WorkerSummary } from '@ablate/contracts';
import { getSchedulerConfig } from '@/modules/scheduler/scheduler-config';
import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { WorkersView } from '@/modules/workers/views/workers.view';

export const dynamic = 'force-dynamic';

export default async function WorkersPage() {
  let workers: WorkerSummary[];
  try {
    workers = (await getSchedulerClient().listWorkers()).workers;
  } catch (error) {
    return <SchedulerUnavailable failure={describeSchedulerError(error)} />;
  }
  return <WorkersView initial={workers} publicApiUrl={getSchedulerConfig().publicApiUrl} />;
}
