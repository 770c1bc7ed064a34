import Link from 'next/link';
import { formatDate } from '@/modules/shared/format';
import { LeaderboardLive } from '../components/leaderboard-live';
import type { FeedInit } from '../lib/leaderboard-feed';

interface LeaderboardViewProps {
  /** The sweep, its top trials, its events and (grouped) the first page of configurations. */
  init: FeedInit;
  /** Scheduler URL as the browser reaches it. */
  publicApiUrl: string;
}

/** `/sweeps/[id]`: one sweep, steerable, with its live leaderboard and activity. */
export function LeaderboardView({ init, publicApiUrl }: LeaderboardViewProps) {
  const { sweep } = init;
  const launched = sweep.launchedBy ? ` by ${sweep.launchedBy}` : '';
  const method = sweep.spec.method === 'grid' ? 'grid' : `${sweep.spec.method} search`;
  const repeats = (sweep.spec.repeats ?? 1) > 1 ? ` · ${sweep.spec.repeats} seeds per configuration` : '';
  return (
    <section className="card">
      <p className="breadcrumb">
        <Link href="/">Sweeps</Link> / {sweep.project}
      </p>
      <div style={{ display: 'flex', alignItems: 'baseline', gap: '1rem' }}>
        <h2 data-testid="sweep-name">{sweep.name}</h2>
        {/* Opens the New sweep form on this sweep's spec. */}
        <Link href={`/sweeps/new?from=${encodeURIComponent(sweep.id)}`} className="button" data-testid="clone-sweep">
          Clone
        </Link>
      </div>
      <p className="muted">
        {sweep.template} · {method}
        {repeats} · {sweep.total} trials · created {formatDate(sweep.createdAt)}
        {launched}
      </p>
      <LeaderboardLive key={sweep.id} apiUrl={publicApiUrl} init={init} />
    </section>
  );
}
