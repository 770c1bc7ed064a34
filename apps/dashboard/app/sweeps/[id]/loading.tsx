export default function LeaderboardLoading() {
  return (
    <section className="card" aria-busy="true">
      <p className="muted">Loading the leaderboard…</p>
    </section>
  );
}
