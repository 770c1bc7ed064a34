import type { SweepDetail } from '@ablate/contracts';
import Link from 'next/link';
import { formatDate } from '@/modules/shared/format';
import { LeaderboardLive } from '../components/leaderboard-live';

/**
 * Rows rendered on the server. The subscription's ack brings every trial moments later, so a
 * 10,000-trial sweep does not ship its leaderboard twice (5 MB of HTML for rows nobody sees yet).
 */
const SERVER_RENDERED_TRIALS = 200;

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
      <LeaderboardLive key={sweep.id} apiUrl={publicApiUrl} initial={{ sweep, trials: detail.trials.slice(0, SERVER_RENDERED_TRIALS) }} />
    </section>
  );
}
