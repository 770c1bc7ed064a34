import { getSchedulerConfig } from '@/modules/scheduler/scheduler-config';
import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { SweepsHomeView } from '@/modules/sweeps/views/sweeps-home.view';

// Data comes from the running scheduler, and its URL from the environment at request time.
export const dynamic = 'force-dynamic';

export default async function SweepsPage() {
  const { publicApiUrl } = getSchedulerConfig();
  const api = getSchedulerClient();
  const loaded = await Promise.all([api.listTemplates(), api.listSweeps()]).catch((error: unknown) => describeSchedulerError(error));
  if (!Array.isArray(loaded)) return <SchedulerUnavailable failure={loaded} />;
  const [{ templates }, { sweeps }] = loaded;
  return <SweepsHomeView templates={templates} sweeps={sweeps} publicApiUrl={publicApiUrl} />;
}
