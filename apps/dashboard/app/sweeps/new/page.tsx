import type { SweepDetail, TemplateList } from '@ablate/contracts';
import { notFound } from 'next/navigation';
import { describeSchedulerError, getSchedulerClient, isNotFound } from '@/modules/scheduler/scheduler-client';
import { SchedulerUnavailable } from '@/modules/shared/components/scheduler-unavailable';
import { newSweepStart } from '@/modules/sweeps/lib/new-sweep-start';
import { NewSweepView } from '@/modules/sweeps/views/new-sweep.view';

// Templates (and a cloned sweep) come from the running scheduler at request time.
export const dynamic = 'force-dynamic';

/** `/sweeps/new`, or `/sweeps/new?from=<id>` to clone a sweep's spec. */
export default async function NewSweepPage({ searchParams }: { searchParams: Promise<{ from?: string | string[] }> }) {
  const { from } = await searchParams;
  const api = getSchedulerClient();
  const cloneId = typeof from === 'string' && from !== '' ? from : null;
  let loaded: [TemplateList, SweepDetail | null];
  try {
    loaded = await Promise.all([api.listTemplates(), cloneId ? api.getSweep(cloneId, { top: 1 }) : null]);
  } catch (error) {
    if (isNotFound(error)) notFound();
    return <SchedulerUnavailable failure={describeSchedulerError(error)} />;
  }
  const [{ templates }, cloned] = loaded;
  return <NewSweepView templates={templates} {...newSweepStart(templates, cloned?.sweep ?? null)} />;
}
