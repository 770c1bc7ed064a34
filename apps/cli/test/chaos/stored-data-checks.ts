/** Checks of what was stored: the curves in metric_points, and the leaderboard computed from them. */
import { rankTrials } from '@ablate/contracts';
import type { ChaosEvidence, ChaosExpectations, Say } from './chaos-checks.js';

/** One point per (epoch metric, step) for steps 1..epochs, nothing else, and the API returns exactly those. */
export function checkPoints(trialId: string, e: ChaosEvidence, x: ChaosExpectations, say: Say): void {
  const stored = e.points.filter((p) => p.trialId === trialId);
  const want = Array.from({ length: x.epochs }, (_, k) => k + 1).join(',');
  for (const name of x.epochMetrics) {
    const steps = stored
      .filter((p) => p.name === name)
      .map((p) => p.step)
      .sort((a, b) => a - b)
      .join(',');
    if (steps !== want)
      say('points', `${name} stored at steps [${steps}], expected [${want}] (one per epoch, no gaps)`);
  }
  const others = stored.filter((p) => !x.epochMetrics.includes(p.name));
  if (others.length > 0)
    say('points', `unexpected points ${others.map((p) => `${p.name}@${p.step}`).join(', ')}`);
  const key = (p: { name: string; step: number; value: number }) => `${p.name}@${p.step}=${p.value}`;
  const api = (e.apiPoints.get(trialId) ?? []).map(key).sort();
  const db = stored.map(key).sort();
  if (api.join() !== db.join()) {
    say(
      'points',
      `GET /api/trials/:id/metrics returned ${api.length} points, the table holds ${db.length}; ` +
        `only in API: [${api
          .filter((k) => !db.includes(k))
          .slice(0, 5)
          .join(' ')}], only stored: [${db
          .filter((k) => !api.includes(k))
          .slice(0, 5)
          .join(' ')}]`,
    );
  }
}

/** The leaderboard equals one recomputed from the stored points: score = best stored value, ranks by `rankTrials`. */
export function checkLeaderboard(e: ChaosEvidence, x: ChaosExpectations): string[] {
  const findings: string[] = [];
  const best = (trialId: string): number | null => {
    const values = e.points
      .filter((p) => p.trialId === trialId && p.name === x.metric.name)
      .map((p) => p.value);
    if (values.length === 0) return null;
    return x.metric.goal === 'minimize' ? Math.min(...values) : Math.max(...values);
  };
  const recomputed = e.detail.trials.map((t) => ({ ...t, score: best(t.id) }));
  for (const t of recomputed) {
    const shown = e.detail.trials.find((s) => s.id === t.id)!;
    if (shown.score !== t.score)
      findings.push(
        `[leaderboard] trial #${t.index} has score ${shown.score}, but the best stored ${x.metric.name} is ${t.score}`,
      );
  }
  const order = (ts: { index: number; rank: number | null }[]) =>
    ts.map((t) => `#${t.index}:${t.rank ?? '-'}`).join(' ');
  const expected = order(rankTrials(recomputed, x.metric.goal));
  const shown = order(e.detail.trials);
  if (expected !== shown)
    findings.push(
      `[leaderboard] order and ranks are ${shown}, recomputed from the stored points ${expected}`,
    );
  if (e.detail.trials.length !== e.rows.length)
    findings.push(`[leaderboard] shows ${e.detail.trials.length} trials, the table holds ${e.rows.length}`);
  return findings;
}
