/**
 * Realistic rows as the previous release (commit 9aa4a01, schema `InitialSchema1764201600000`) wrote
 * them: two projects, sweeps in every status, trials in every status with params, latest metrics,
 * scores, errors and leases, their metric points, and two workers. Plain SQL against that schema, so
 * it keeps describing the old release however the entities change.
 */

/** Migration names the previous release shipped; the test builds its database with exactly these. */
export const PREVIOUS_RELEASE_MIGRATIONS = ['InitialSchema1764201600000'];

export const ids = {
  course: '10000000-0000-4000-8000-000000000001',
  teamB: '10000000-0000-4000-8000-000000000002',
  gpuNode: '20000000-0000-4000-8000-000000000001',
  laptop: '20000000-0000-4000-8000-000000000002',
  queuedSweep: '30000000-0000-4000-8000-000000000001',
  runningSweep: '30000000-0000-4000-8000-000000000002',
  completedSweep: '30000000-0000-4000-8000-000000000003',
  cancelledSweep: '30000000-0000-4000-8000-000000000004',
};

const spec = (name: string, project: string) =>
  JSON.stringify({
    name,
    project,
    template: 'mnist-cnn',
    method: 'grid',
    parameters: { dropout: { values: [0, 0.25, 0.5] }, batchNorm: { values: [false, true] }, epochs: { value: 3 } },
    metric: { name: 'val_acc', goal: 'maximize' },
    maxRetries: 2,
  });

const sweepRow = (id: string, project: string, name: string, status: string, trials: number, minute: number, finished: boolean) =>
  `('${id}', '${project === 'course' ? ids.course : ids.teamB}', '${name}', 'mnist-cnn', '${spec(name, project)}', 'val_acc', 'maximize', 2, '${status}', ${trials},
    '2025-11-20 10:${minute}:00.123456+00', '2025-11-20 11:${minute}:00.654321+00', ${finished ? `'2025-11-20 12:${minute}:00.000001+00'` : 'NULL'})`;

/** One trial row: index, status, attempt, lease owner, step, latest metrics, score, backend, error. */
type Trial = [number, string, number, string | null, number | null, Record<string, number>, number | null, string | null, string | null];

const trialsOf: Record<string, Trial[]> = {
  [ids.queuedSweep]: [
    [0, 'queued', 1, null, null, {}, null, null, null],
    [1, 'queued', 1, null, null, {}, null, null, null],
  ],
  [ids.runningSweep]: [
    [0, 'completed', 1, null, 3, { val_acc: 0.9871, val_loss: 0.0412, loss: 0.0356 }, 0.9871, 'wasm', null],
    [1, 'running', 1, ids.laptop, 2, { val_acc: 0.9614, val_loss: 0.1203, loss: 0.1187 }, 0.9614, 'wasm', null],
    [2, 'leased', 2, ids.gpuNode, 1, { val_acc: 0.8123, val_loss: 0.5032, loss: 0.6120 }, 0.8123, 'tensorflow', 'The worker stopped reporting (lease expired); the trial was requeued.'],
    [3, 'queued', 1, null, null, {}, null, null, null],
    [4, 'failed', 3, null, 1, { val_acc: 0.1135, val_loss: 2.3026, loss: 2.3026 }, 0.1135, 'cpu', 'Out of memory while allocating 1.2 GB for conv2d_1 (epoch 2) — "tensor too large"'],
    [5, 'pruned', 1, null, 2, { val_acc: 0.5012, val_loss: 1.4, loss: 1.38 }, 0.5012, 'wasm', null],
  ],
  [ids.completedSweep]: [
    [0, 'completed', 1, null, 3, { val_acc: 0.9912, val_loss: 0.0301, loss: 0.0222 }, 0.9912, 'tensorflow', null],
    [1, 'completed', 2, null, 3, { val_acc: 0.30000000000000004, val_loss: 1e-300, loss: 123456.789 }, 0.30000000000000004, 'wasm', null],
  ],
  [ids.cancelledSweep]: [
    [0, 'completed', 1, null, 3, { val_acc: 0.97, val_loss: 0.09, loss: 0.08 }, 0.97, 'wasm', null],
    [1, 'cancelled', 1, null, 1, { val_acc: 0.6, val_loss: 1.1, loss: 1.2 }, 0.6, 'wasm', null],
  ],
};

/** `4000000<sweep's last digit>-...-<index>`: readable ids that say which sweep a trial is in. */
export const trialId = (sweep: string, index: number) => `4000000${sweep.slice(-1)}-0000-4000-8000-${String(index).padStart(12, '0')}`;

const q = (s: string | null) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

function trialRows(): string[] {
  return Object.entries(trialsOf).flatMap(([sweep, trials]) =>
    trials.map(([index, status, attempt, owner, step, metrics, score, backend, error]) => {
      const live = status === 'leased' || status === 'running';
      const finished = ['completed', 'failed', 'pruned', 'cancelled'].includes(status);
      return `('${trialId(sweep, index)}', '${sweep}', ${index}, '{"dropout": ${index / 4}, "batchNorm": ${index % 2 === 1}, "epochs": 3, "learningRate": 0.001}', '${status}', ${attempt},
        ${q(owner)}, ${live ? `'2030-01-01 00:00:00+00'` : 'NULL'}, ${step ?? 'NULL'}, '${JSON.stringify(metrics)}', ${score ?? 'NULL'}, ${q(backend)}, ${q(error)},
        '2025-11-20 10:00:00.5+00', ${step === null ? 'NULL' : `'2025-11-20 10:05:00.25+00'`}, ${finished ? `'2025-11-20 10:30:00.125+00'` : 'NULL'}, '2025-11-20 10:30:00.999999+00')`;
    }),
  );
}

/** The rows, as one SQL script for the previous release's schema. */
export function previousReleaseData(): string {
  const sweeps = [
    sweepRow(ids.queuedSweep, 'course', 'waiting for workers', 'queued', 2, 10, false),
    sweepRow(ids.runningSweep, 'course', 'dropout x bn (running)', 'running', 6, 11, false),
    sweepRow(ids.completedSweep, 'team-b', 'finished grid', 'completed', 2, 12, true),
    sweepRow(ids.cancelledSweep, 'team-b', 'stopped early', 'cancelled', 2, 13, true),
  ];
  return `
    INSERT INTO projects (id, slug, created_at) VALUES ('${ids.course}', 'course', '2025-11-01 09:00:00.000123+00'), ('${ids.teamB}', 'team-b', '2025-11-02 09:00:00+00');
    INSERT INTO workers (id, host, slots, backends, registered_at, last_heartbeat_at) VALUES
      ('${ids.gpuNode}', 'gpu-node-1', 4, '["tensorflow", "wasm", "cpu"]', '2025-11-20 09:00:00+00', '2025-11-20 10:29:59.5+00'),
      ('${ids.laptop}', 'laptop.local', 1, '["wasm"]', '2025-11-20 09:30:00+00', '2025-11-20 10:29:58+00');
    INSERT INTO sweeps (id, project_id, name, template, spec, metric_name, metric_goal, max_retries, status, trial_count, created_at, updated_at, finished_at)
      VALUES ${sweeps.join(',\n')};
    INSERT INTO trials (id, sweep_id, index, params, status, attempt, lease_owner, lease_expires_at, step, metrics, score, backend, error, created_at, started_at, finished_at, updated_at)
      VALUES ${trialRows().join(',\n')};
    -- Every trial with a step has a point per metric and step up to it; the latest equals its metrics.
    INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
      SELECT t.id, m.key, g.step, CASE WHEN g.step = t.step THEN m.value::float8 ELSE m.value::float8 * g.step / (t.step + 1) END,
             '2025-11-20 10:05:00.000001+00'::timestamptz + g.step * interval '1 minute'
        FROM trials t CROSS JOIN LATERAL jsonb_each_text(t.metrics) m CROSS JOIN LATERAL generate_series(1, t.step) g(step)
       WHERE t.step IS NOT NULL;`;
}
