import { z } from 'zod';

/** Environment variables the scheduler reads, parsed once at start. */
export const SchedulerEnv = z.object({
  /** PostgreSQL connection string. */
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL'),
  /** Port of the REST API and socket.io. */
  ABLATE_API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to listen on; 0.0.0.0 lets workers on other nodes connect. */
  ABLATE_API_HOST: z.string().default('127.0.0.1'),
  /** Shared secret workers present as `Authorization: Bearer ...`. */
  ABLATE_WORKER_TOKEN: z.string().min(16, 'ABLATE_WORKER_TOKEN must be at least 16 characters'),
  /** A lease not renewed within this many ms expires and its trial is requeued. */
  ABLATE_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Browser origins allowed to call the API and open sockets (comma-separated). */
  ABLATE_CORS_ORIGINS: z.string().default('http://localhost:3000,http://127.0.0.1:3000'),
});

export interface SchedulerConfig {
  databaseUrl: string;
  port: number;
  host: string;
  workerToken: string;
  leaseTtlMs: number;
  corsOrigins: string[];
  /** Run migrations at start (default true). */
  migrate?: boolean;
}

export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');

/** Parses the environment; throws one message listing every variable to fix. */
export function loadSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const parsed = SchedulerEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid scheduler configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.ABLATE_API_PORT,
    host: e.ABLATE_API_HOST,
    workerToken: e.ABLATE_WORKER_TOKEN,
    leaseTtlMs: e.ABLATE_LEASE_TTL_MS,
    corsOrigins: e.ABLATE_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
  };
}
