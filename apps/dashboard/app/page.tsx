import { getSchedulerConfig } from '@/modules/scheduler/scheduler-config';
import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { readListPage, SWEEPS_PAGE_SIZE } from '@/modules/sweeps/lib/sweep-list';
import { SweepsHomeView } from '@/modules/sweeps/views/sweeps-home.view';

// Data comes from the running scheduler, and its URL from the environment at request time.
export const dynamic = 'force-dynamic';

export default async function SweepsPage({ searchParams }: { searchParams: Promise<{ page?: string | string[]; project?: string | string[] }> }) {
  const where = readListPage(await searchParams);
  const { publicApiUrl } = getSchedulerConfig();
  const api = getSchedulerClient();
  const query = { offset: (where.page - 1) * SWEEPS_PAGE_SIZE, limit: SWEEPS_PAGE_SIZE, ...(where.project ? { project: where.project } : {}) };
  const loaded = await Promise.all([
    api.listSweeps(query),
    // The workers only decide whether to say how to start one: the page does without them.
    api.listWorkers().then((list) => list.workers.filter((w) => w.state === 'live').length, () => null),
  ]).catch((error: unknown) => describeSchedulerError(error));
  if (!Array.isArray(loaded)) return <SchedulerUnavailable failure={loaded} />;
  const [list, liveWorkers] = loaded;
  return (
    <SweepsHomeView
      key={`${where.project ?? ''}:${where.page}`}
      sweeps={list.sweeps}
      total={list.total ?? list.sweeps.length}
      projects={list.projects ?? []}
      where={where}
      liveWorkers={liveWorkers}
      publicApiUrl={publicApiUrl}
    />
  );
}
