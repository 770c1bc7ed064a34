import { ApiError, TrialStatus, rankTrials, type RankedTrial, type SweepSpecInput } from '@ablate/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

/** One trial's seeded state: its score and status (the rest stays as created). */
type Seed = { index: number; score: number | null; status?: TrialStatus; metrics?: Record<string, number> };

function spec(name: string, parameters: SweepSpecInput['parameters'], goal: 'maximize' | 'minimize' = 'maximize', extra: Partial<SweepSpecInput> = {}): SweepSpecInput {
  return { name, template: 'mnist-cnn', parameters, metric: { name: goal === 'maximize' ? 'val_acc' : 'val_loss', goal }, ...extra };
}

const view = (trials: readonly RankedTrial[]) => trials.map((t) => `${t.index}:${t.rank ?? '-'}`);

describe('GET /api/sweeps/:id/leaderboard: ranked by PostgreSQL', () => {
  let s: TestScheduler;
  let db: pg.Client;

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  /** Writes scores, statuses and metrics as reports would have left them, and recounts the sweep row. */
  async function seed(sweepId: string, seeds: Seed[]): Promise<void> {
    for (const t of seeds) {
      await db.query(`UPDATE trials SET score = $3, status = COALESCE($4, status), metrics = COALESCE($5::jsonb, metrics) WHERE sweep_id = $1 AND index = $2`, [
        sweepId,
        t.index,
        t.score,
        t.status ?? null,
        t.metrics ? JSON.stringify(t.metrics) : null,
      ]);
    }
    await recount(sweepId);
  }

  async function recount(sweepId: string): Promise<void> {
    const sets = TrialStatus.options.map((st) => `${st}_count = (SELECT count(*) FROM trials WHERE sweep_id = $1 AND status = '${st}')`).join(', ');
    await db.query(`UPDATE sweeps SET ${sets} WHERE id = $1`, [sweepId]);
  }

  async function refusal(call: Promise<unknown>): Promise<ApiError> {
    const err = await call.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }

  it('ranks like rankTrials: best first, ties share a rank broken by index, unscored last; maximize and minimize', async () => {
    const scores = [0.5, 0.9, null, 0.7, 0.9, 0.1, null, 0.7];
    for (const goal of ['maximize', 'minimize'] as const) {
      const sweep = await s.user.createSweep(spec(`ranks ${goal}`, { seed: { values: scores.map((_, i) => i) } }, goal));
      await seed(sweep.id, scores.map((score, index) => ({ index, score })));
      const page = await s.user.getLeaderboard(sweep.id);
      const reference = rankTrials((await s.user.getSweep(sweep.id)).trials, goal);
      expect(view(page.trials)).toEqual(view(reference));
      expect(view(page.trials)).toEqual(goal === 'maximize' ? ['1:1', '4:1', '3:3', '7:3', '0:5', '5:6', '2:-', '6:-'] : ['5:1', '0:2', '3:3', '7:3', '1:5', '4:5', '2:-', '6:-']);
      expect(page).toMatchObject({ total: 8, offset: 0, configurations: [] });
      // A page that starts among the scored trials and ends among the unscored ones.
      expect(view((await s.user.getLeaderboard(sweep.id, { offset: 5, limit: 2 })).trials)).toEqual(view(reference.slice(5, 7)));
      expect(view((await s.user.getLeaderboard(sweep.id, { offset: 7, limit: 5 })).trials)).toEqual(view(reference.slice(7)));
      expect((await s.user.getLeaderboard(sweep.id, { offset: 50 })).trials).toEqual([]);
    }
  });

  it('filters by status (ranks and total among those trials) and sorts by index, status, updated or a metric', async () => {
    const sweep = await s.user.createSweep(spec('filters', { seed: { values: [0, 1, 2, 3, 4, 5] } }));
    await seed(sweep.id, [
      { index: 0, score: 0.6, status: 'completed', metrics: { val_acc: 0.6, val_loss: 0.9 } },
      { index: 1, score: 0.8, status: 'running', metrics: { val_acc: 0.8, val_loss: 0.3 } },
      { index: 2, score: 0.7, status: 'completed', metrics: { val_acc: 0.7, val_loss: 0.2 } },
      { index: 3, score: null, status: 'failed' },
      { index: 4, score: 0.9, status: 'pruned', metrics: { val_acc: 0.5, val_loss: 0.5 } },
    ]);
    const completed = await s.user.getLeaderboard(sweep.id, { status: 'completed' });
    expect(view(completed.trials)).toEqual(['2:1', '0:2']);
    expect(completed.total).toBe(2);
    const open = await s.user.getLeaderboard(sweep.id, { status: 'queued,failed,running' });
    expect(view(open.trials)).toEqual(['1:1', '3:-', '5:-']);
    expect(open.total).toBe(3);

    expect(view((await s.user.getLeaderboard(sweep.id, { sort: 'index' })).trials)).toEqual(['0:4', '1:2', '2:3', '3:-', '4:1', '5:-']);
    // Life-cycle order, best first within a status.
    expect(view((await s.user.getLeaderboard(sweep.id, { sort: 'status' })).trials)).toEqual(['5:-', '1:2', '2:3', '0:4', '4:1', '3:-']);
    // val_loss is minimized: lowest latest value first, trials without it last.
    expect(view((await s.user.getLeaderboard(sweep.id, { sort: 'metric:val_loss' })).trials)).toEqual(['2:3', '1:2', '4:1', '0:4', '3:-', '5:-']);
    await db.query(`UPDATE trials SET updated_at = now() + interval '1 minute' WHERE sweep_id = $1 AND index = 3`, [sweep.id]);
    expect((await s.user.getLeaderboard(sweep.id, { sort: 'updated', limit: 1 })).trials[0]?.index).toBe(3);
  });

  it('refuses a bad query with 400, naming every wrong parameter, and an unknown sweep with 404', async () => {
    const sweep = await s.user.createSweep(spec('bad queries', { seed: { values: [0, 1] } }));
    const bad = await refusal(s.user.getLeaderboard(sweep.id, { sort: 'rnak', status: 'runing,done', offset: -1 }));
    expect(bad.code).toBe('validation_failed');
    // Every mistake at once, the schema's and the others.
    expect(bad.issues?.map((i) => i.path)).toEqual(['offset', 'sort', 'status', 'status']);
    const semantic = await refusal(s.user.getLeaderboard(sweep.id, { sort: 'rnak', status: 'runing,done' }));
    expect(semantic.issues).toEqual([
      { path: 'sort', message: expect.stringContaining('did you mean `rank`') as string },
      { path: 'status', message: expect.stringContaining('did you mean `running`') as string },
      { path: 'status', message: expect.stringContaining('unknown status "done"') as string },
    ]);
    expect(semantic.message).toContain('sort:');
    const metric = await refusal(s.user.getLeaderboard(sweep.id, { sort: 'metric:val_accc' }));
    expect(metric.issues?.[0]?.message).toContain('did you mean `val_acc`');
    const grouped = await refusal(s.user.getLeaderboard(sweep.id, { group: 'config', sort: 'updated' }));
    expect(grouped.issues).toEqual([{ path: 'sort', message: expect.stringContaining('group=config sorts by rank or index') as string }]);
    expect((await refusal(s.user.getLeaderboard(sweep.id, { config: '{"dropout":0}' }))).issues?.[0]?.path).toBe('config');
    expect((await refusal(s.user.getLeaderboard(sweep.id, { limit: 1001 }))).issues?.[0]?.path).toBe('limit');
    const misspelt = await fetch(`${s.url}/api/sweeps/${sweep.id}/leaderboard?srot=index`);
    expect(misspelt.status).toBe(400);
    expect(await misspelt.json()).toMatchObject({ issues: [{ path: 'srot', message: expect.stringContaining('did you mean `sort`') as string }] });
    expect((await refusal(s.user.getLeaderboard('00000000-0000-4000-8000-000000000000'))).code).toBe('sweep_not_found');
    expect((await refusal(s.user.getLeaderboard('not-a-sweep'))).code).toBe('sweep_not_found');
  });

  it('groups repeat seeds into one row per configuration, ranked by the mean, with std and n; ?config= lists its runs', async () => {
    // 3 dropouts × 3 seeds, seed-major: index = seed block × 3 + dropout position.
    const sweep = await s.user.createSweep(spec('repeats', { dropout: { values: [0, 0.25, 0.5] } }, 'maximize', { repeats: 3 }));
    await seed(sweep.id, [
      { index: 0, score: 0.8, status: 'completed' },
      { index: 3, score: 0.9, status: 'completed' },
      { index: 6, score: 1.0, status: 'running' },
      { index: 1, score: 0.95, status: 'completed' },
    ]);
    const page = await s.user.getLeaderboard(sweep.id, { group: 'config' });
    expect(page.total).toBe(3);
    expect(page.trials).toEqual([]);
    const [best, second, unscored] = page.configurations;
    expect(best).toMatchObject({ params: expect.objectContaining({ dropout: 0.25 }) as object, rank: 1, mean: 0.95, std: null, n: 1 });
    expect(best?.params).not.toHaveProperty('seed');
    expect(best?.counts).toMatchObject({ completed: 1, queued: 2, running: 0 });
    expect(second).toMatchObject({ params: expect.objectContaining({ dropout: 0 }) as object, rank: 2, n: 3 });
    expect(second?.mean).toBeCloseTo(0.9, 12);
    expect(second?.std).toBeCloseTo(0.1, 12);
    expect(second?.counts).toMatchObject({ completed: 2, running: 1 });
    expect(unscored).toMatchObject({ rank: null, mean: null, std: null, n: 0 });
    const runs = await s.user.getLeaderboard(sweep.id, { config: second!.key });
    expect(runs.trials.map((t) => t.params.seed)).toEqual([3, 2, 1]);
    expect(runs.trials.map((t) => t.id).sort()).toEqual([...second!.trialIds].sort());
    expect(runs.total).toBe(3);
    // The filter applies to the runs: over completed runs only, dropout 0 has mean 0.85 of 2.
    const done = await s.user.getLeaderboard(sweep.id, { group: 'config', status: 'completed' });
    expect(done.configurations.map((c) => [c.params.dropout, c.n, c.rank])).toEqual([
      [0.25, 1, 1],
      [0, 2, 2],
    ]);
    expect(done.configurations[1]?.mean).toBeCloseTo(0.85, 12);
    // By index: the configuration that comes first in the expansion first.
    expect((await s.user.getLeaderboard(sweep.id, { group: 'config', sort: 'index' })).configurations.map((c) => c.params.dropout)).toEqual([0, 0.25, 0.5]);
    expect((await s.user.getLeaderboard(sweep.id, { group: 'config', offset: 3 })).configurations).toEqual([]);
  });

  describe('a 10,000-trial sweep', () => {
    let sweepId: string;
    let reference: RankedTrial[];

    beforeAll(async () => {
      const sweep = await s.user.createSweep(spec('ten thousand', { seed: { values: Array.from({ length: 10_000 }, (_, i) => i) } }));
      sweepId = sweep.id;
      // 9,000 scored trials on 1,000 distinct scores (ties of 9), every tenth unscored.
      await db.query(`UPDATE trials SET score = CASE WHEN index % 10 = 9 THEN NULL ELSE ((index * 7919) % 1000) / 1000.0 END WHERE sweep_id = $1`, [sweepId]);
      await db.query('ANALYZE trials');
      reference = rankTrials((await s.user.getSweep(sweepId)).trials, 'maximize');
    });

    it('pages through every trial in rank order, across the scored/unscored boundary', async () => {
      const seen: RankedTrial[] = [];
      for (let offset = 0; offset < 10_000; offset += 1000) {
        const page = await s.user.getLeaderboard(sweepId, { offset, limit: 1000 });
        expect(page.total).toBe(10_000);
        seen.push(...page.trials);
      }
      expect(view(seen)).toEqual(view(reference));
      expect(seen.map((t) => t.id)).toEqual(reference.map((t) => t.id));
      expect(view((await s.user.getLeaderboard(sweepId, { offset: 8990, limit: 20 })).trials)).toEqual(view(reference.slice(8990, 9010)));
    });

    it('reads a top page from the score index, not the whole sweep', async () => {
      const plan = await db.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) SELECT t.id, (rank() OVER (ORDER BY t.score DESC))::int AS rank FROM trials t
         WHERE t.sweep_id = $1 AND t.score IS NOT NULL ORDER BY t.score DESC, t.index OFFSET 0 LIMIT 50`,
        [sweepId],
      );
      const nodes = flatten((plan.rows[0]!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
      expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan');
      const scan = nodes.find((n) => n['Index Name'] === 'trials_sweep_score_idx');
      expect(scan, JSON.stringify(nodes.map((n) => n['Node Type']))).toBeDefined();
      // 50 rows plus the rest of the last tie group (ties come in nines), never the 9,000 scored trials.
      expect(scan!['Actual Rows']).toBeLessThan(100);
    });

    it('subscribing sends the summary and the top 200 trials; GET ?top=N the same shape', async () => {
      const { io } = await import('socket.io-client');
      const socket = io(`${s.url}/live`, { transports: ['websocket'], forceNew: true, reconnection: false });
      try {
        const ack = await new Promise<{ ok: boolean; data?: { sweep: { total: number; counts: Record<string, number> }; trials: RankedTrial[] } }>((resolve) =>
          socket.emit('sweep:subscribe', sweepId, resolve),
        );
        expect(ack.ok).toBe(true);
        expect(ack.data?.sweep).toMatchObject({ total: 10_000, counts: { queued: 10_000 } });
        expect(view(ack.data!.trials)).toEqual(view(reference.slice(0, 200)));
      } finally {
        socket.close();
      }
      const top = await s.user.getSweep(sweepId, { top: 5 });
      expect(view(top.trials)).toEqual(view(reference.slice(0, 5)));
      expect(top.sweep.spec.name).toBe('ten thousand');
      expect((await refusal(s.user.getSweep(sweepId, { top: 0 }))).issues?.[0]?.path).toBe('top');
    });
  });
});

type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Actual Rows': number; Plans?: PlanNode[] };

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
