import pg from 'pg';

interface TrialLedger {
  /** Metrics of every accepted step. */
  steps: Map<number, Record<string, number>>;
  lastStep: number;
}

/** What the scheduler accepted, to compare with what PostgreSQL holds afterwards. */
export class PointLedger {
  private readonly trials = new Map<string, TrialLedger>();

  accept(trialId: string, step: number, metrics: Record<string, number>): void {
    const t = this.trials.get(trialId) ?? { steps: new Map(), lastStep: 0 };
    t.steps.set(step, metrics);
    t.lastStep = Math.max(t.lastStep, step);
    this.trials.set(trialId, t);
  }

  /**
   * Points lost (accepted but not stored, or stored with another value), points stored that were
   * never accepted, and trials whose `step`, latest `metrics` or `score` (best val_acc) do not match.
   */
  async verify(
    databaseUrl: string,
  ): Promise<{ expected: number; lost: number; unexpected: number; wrongTrials: number }> {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const ids = [...this.trials.keys()];
      const points = await db.query<{ trial_id: string; step: number; name: string; value: number }>(
        'SELECT trial_id, step, name, value FROM metric_points WHERE trial_id = ANY($1::uuid[])',
        [ids],
      );
      const stored = new Map(points.rows.map((p) => [`${p.trial_id}/${p.step}/${p.name}`, p.value]));
      let expected = 0;
      let lost = 0;
      for (const [id, t] of this.trials) {
        for (const [step, metrics] of t.steps) {
          for (const [name, value] of Object.entries(metrics)) {
            expected++;
            if (stored.get(`${id}/${step}/${name}`) !== value) lost++;
          }
        }
      }
      const trials = await db.query<{
        id: string;
        step: number | null;
        metrics: Record<string, number>;
        score: number | null;
      }>('SELECT id, step, metrics, score FROM trials WHERE id = ANY($1::uuid[])', [ids]);
      let wrongTrials = 0;
      for (const row of trials.rows) {
        const t = this.trials.get(row.id)!;
        const last = t.steps.get(t.lastStep)!;
        const best = Math.max(...[...t.steps.values()].map((m) => m.val_acc ?? -Infinity));
        if (
          row.step !== t.lastStep ||
          row.metrics.val_acc !== last.val_acc ||
          row.metrics.loss !== last.loss ||
          row.score !== best
        )
          wrongTrials++;
      }
      return { expected, lost, unexpected: points.rows.length - (expected - lost), wrongTrials };
    } finally {
      await db.end();
    }
  }
}
