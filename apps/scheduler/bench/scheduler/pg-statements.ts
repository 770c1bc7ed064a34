import pg from 'pg';

/**
 * PostgreSQL's own account of the statements a figure ran (`--pg-statements`): calls, planning and
 * execution time per statement, from pg_stat_statements. The scheduler's CPU profile shows its own
 * side; this shows where PostgreSQL's time went, including statements waiting for a row lock.
 */
async function withClient<T>(adminUrl: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function preloadStatementStats(adminUrl: string): Promise<void> {
  return withClient(adminUrl, async (c) => {
    await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    await c.query(`ALTER SYSTEM SET pg_stat_statements.track_planning = on`);
  });
}

export function createStatementStats(adminUrl: string): Promise<void> {
  return withClient(
    adminUrl,
    async (c) => void (await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')),
  );
}

export function resetStatementStats(adminUrl: string): Promise<void> {
  return withClient(adminUrl, async (c) => void (await c.query('SELECT pg_stat_statements_reset()')));
}

/** The `limit` statements with the most planning + execution time since the last reset, one line each. */
export function topStatements(adminUrl: string, limit = 8): Promise<string[]> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{
      calls: string;
      plan: number;
      exec: number;
      total: number;
      query: string;
    }>(
      `SELECT calls, total_plan_time / calls AS plan, total_exec_time / calls AS exec, total_plan_time + total_exec_time AS total,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
       FROM pg_stat_statements WHERE calls > 0 AND query NOT LIKE '%pg_stat_statements%' ORDER BY total DESC LIMIT $1`,
      [limit],
    );
    return rows.map(
      (r) =>
        `${(r.total / 1000).toFixed(2).padStart(6)} s  ${String(r.calls).padStart(6)} calls  plan ${r.plan.toFixed(2)} ms  exec ${r.exec.toFixed(2)} ms  ${r.query}`,
    );
  });
}
