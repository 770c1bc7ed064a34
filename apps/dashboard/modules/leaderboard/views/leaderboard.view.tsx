import type { SweepDetail } from '@ablate/contracts';
import Link from 'next/link';
import { formatDate } from '@/modules/shared/format';
import { LeaderboardLive } from '../components/leaderboard-live';

interface LeaderboardViewProps {
  detail: SweepDetail;
  /** Scheduler URL as the browser reaches it. */
  publicApiUrl: string;
}

/** `/sweeps/[id]`: one sweep's live leaderboard. */
export function LeaderboardView({ detail, publicApiUrl }: LeaderboardViewProps) {
  const { sweep } = detail;
  return (
    <section className="card">
      <p className="breadcrumb">
        <Link href="/">Sweeps</Link> / {sweep.project}
      </p>
      <h2 data-testid="sweep-name">{sweep.name}</h2>
      <p className="muted">
        {sweep.template} · {sweep.total} trials · created {formatDate(sweep.createdAt)}
      </p>
      <LeaderboardLive key={sweep.id} apiUrl={publicApiUrl} initial={detail} />
    </section>
  );
}
