import type { SweepSummary } from '@ablate/contracts';
import { NewSweepForm } from '../components/new-sweep-form';
import { SweepsTable } from '../components/sweeps-table';
import type { TemplateInfo } from '../lib/sweep-form';

interface SweepsHomeViewProps {
  templates: TemplateInfo[];
  sweeps: SweepSummary[];
  /** Scheduler URL as the browser reaches it. */
  publicApiUrl: string;
}

/** `/`: launch a sweep, and follow every sweep's progress. */
export function SweepsHomeView({ templates, sweeps, publicApiUrl }: SweepsHomeViewProps) {
  return (
    <>
      <section className="card">
        <h2>New sweep</h2>
        <NewSweepForm templates={templates} />
      </section>
      <section className="card">
        <h2>Sweeps</h2>
        <SweepsTable apiUrl={publicApiUrl} initialSweeps={sweeps} />
      </section>
    </>
  );
}
