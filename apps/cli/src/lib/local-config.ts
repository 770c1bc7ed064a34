import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SchedulerEnv } from '@ablate/scheduler';
import { z } from 'zod';

/** Environment of `ablate up`, the one-command local stack. */
export const UpEnv = z.object({
  /** Data directory: embedded PostgreSQL, worker token, checkpoints. */
  ABLATE_HOME: z.string().default('.ablate'),
  /** Use this PostgreSQL server instead of the embedded one. */
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL').optional(),
  /** Port of the embedded PostgreSQL (ignored with DATABASE_URL). */
  ABLATE_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  /** Port of the scheduler's REST API and socket.io. */
  ABLATE_API_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  /** Port of the dashboard. */
  ABLATE_DASHBOARD_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Local workers to start (0 for none). */
  ABLATE_LOCAL_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  /** Fixed worker token; generated once and kept in ABLATE_HOME otherwise. */
  ABLATE_WORKER_TOKEN: z.string().min(16).optional(),
  /**
   * Tests only: crash `up` this way once everything runs, to check that a crash stops the whole
   * stack (`uncaught-exception` or `unhandled-rejection`).
   */
  ABLATE_TEST_CRASH: z.enum(['uncaught-exception', 'unhandled-rejection']).optional(),
}).extend(
  // The scheduler's own rules (and messages) for these: the lease TTL, and the loopback unless
  // ABLATE_ALLOW_REMOTE=true says otherwise.
  SchedulerEnv.pick({ ABLATE_API_HOST: true, ABLATE_ALLOW_REMOTE: true, ABLATE_LEASE_TTL_MS: true }).shape,
);
export type UpConfig = z.infer<typeof UpEnv> & { home: string; allowRemote: boolean };

export function loadUpConfig(env: NodeJS.ProcessEnv = process.env): UpConfig {
  const parsed = UpEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const allowRemote = parsed.data.ABLATE_ALLOW_REMOTE === 'true' || parsed.data.ABLATE_ALLOW_REMOTE === '1';
  return { ...parsed.data, home: path.resolve(parsed.data.ABLATE_HOME), allowRemote };
}

/** The worker token of this data directory: generated on first start, then reused. */
export async function workerToken(config: UpConfig): Promise<string> {
  if (config.ABLATE_WORKER_TOKEN) return config.ABLATE_WORKER_TOKEN;
  const file = path.join(config.home, 'worker-token');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(config.home, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
