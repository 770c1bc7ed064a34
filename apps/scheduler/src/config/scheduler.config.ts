import { DEFAULT_MAX_CHECKPOINT_BYTES } from '@ablate/contracts';
import path from 'node:path';
import { z } from 'zod';

/** Environment variables the scheduler reads, parsed once at start. */
export const SchedulerEnv = z.object({
  /** PostgreSQL connection string. */
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL'),
  /** Port of the REST API and socket.io. */
  ABLATE_API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to listen on; anything beyond the loopback also needs ABLATE_ALLOW_REMOTE=true. */
  ABLATE_API_HOST: z.string().min(1).default('127.0.0.1'),
  /** `true` to allow ABLATE_API_HOST beyond the loopback, knowing user routes have no authentication yet. */
  ABLATE_ALLOW_REMOTE: z.enum(['true', 'false', '1', '0', ''], { message: 'ABLATE_ALLOW_REMOTE must be true or false' }).default('false'),
  /** Shared secret workers present as `Authorization: Bearer ...`. */
  ABLATE_WORKER_TOKEN: z.string().min(16, 'ABLATE_WORKER_TOKEN must be at least 16 characters'),
  /** A lease not renewed within this many ms expires and its trial is requeued. */
  ABLATE_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Browser origins allowed to call the API and open sockets (comma-separated). */
  ABLATE_CORS_ORIGINS: z
    .string()
    .default('http://localhost:3000,http://127.0.0.1:3000')
    .refine((v) => splitOrigins(v).every(isOrigin), 'ABLATE_CORS_ORIGINS must list origins like http://localhost:3000 (scheme, host and port; no path), comma-separated'),
  /** Data directory; the artifact store defaults to its `artifacts/` folder. */
  ABLATE_HOME: z.string().min(1).default('.ablate'),
  /** Where the scheduler stores trial checkpoints workers upload (default `<ABLATE_HOME>/artifacts`). */
  ABLATE_ARTIFACTS_DIR: z.string().min(1).optional(),
  /** Largest checkpoint archive a worker may upload, in bytes. */
  ABLATE_CHECKPOINT_MAX_BYTES: z.coerce.number().int().min(1024, 'ABLATE_CHECKPOINT_MAX_BYTES must be at least 1024 (bytes)').default(DEFAULT_MAX_CHECKPOINT_BYTES),
  /** Days a completed trial's last checkpoint (its trained model) is kept for download. */
  ABLATE_CHECKPOINT_KEEP_DAYS: z.coerce.number().min(0, 'ABLATE_CHECKPOINT_KEEP_DAYS must be 0 or more (days)').default(14),
});

export interface SchedulerConfig {
  databaseUrl: string;
  port: number;
  host: string;
  workerToken: string;
  leaseTtlMs: number;
  corsOrigins: string[];
  /** Listening beyond the loopback was asked for explicitly (ABLATE_ALLOW_REMOTE=true). */
  allowRemote?: boolean;
  /** Run migrations at start (default true). */
  migrate?: boolean;
  /** Folder of the checkpoint store (default `.ablate/artifacts` in the working directory). */
  artifactsDir?: string;
  /** Largest checkpoint upload in bytes (default `DEFAULT_MAX_CHECKPOINT_BYTES`). */
  maxCheckpointBytes?: number;
  /** Days a completed trial's checkpoint is kept (default 14; 0 removes it once the trial completes). */
  checkpointKeepDays?: number;
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
    corsOrigins: splitOrigins(e.ABLATE_CORS_ORIGINS),
    allowRemote: e.ABLATE_ALLOW_REMOTE === 'true' || e.ABLATE_ALLOW_REMOTE === '1',
    artifactsDir: path.resolve(e.ABLATE_ARTIFACTS_DIR ?? path.join(e.ABLATE_HOME, 'artifacts')),
    maxCheckpointBytes: e.ABLATE_CHECKPOINT_MAX_BYTES,
    checkpointKeepDays: e.ABLATE_CHECKPOINT_KEEP_DAYS,
  };
}

function splitOrigins(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/** True for hosts only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Until teams exist, user routes (launch, cancel, read every sweep) have no authentication; only
 * worker routes check a secret. So listening beyond the loopback is refused unless asked for with
 * ABLATE_ALLOW_REMOTE=true; then it returns the warning to print at start (null on the loopback).
 */
export function exposureWarning(config: Pick<SchedulerConfig, 'host' | 'port' | 'allowRemote'>): string | null {
  if (isLoopbackHost(config.host)) return null;
  if (!config.allowRemote) {
    throw new Error(
      `ABLATE_API_HOST=${config.host} would let anyone who can reach this machine launch, cancel and read sweeps: ` +
        'user routes have no authentication until teams exist (workers do authenticate). ' +
        'Keep the default 127.0.0.1 and put the scheduler behind a proxy or VPN that authenticates, ' +
        'or set ABLATE_ALLOW_REMOTE=true to accept this (see docs/deployment.md).',
    );
  }
  return (
    `WARNING: the scheduler listens on ${config.host}:${config.port} (ABLATE_ALLOW_REMOTE=true). Anyone who can reach it ` +
    'can launch, cancel and read sweeps: user routes have no authentication until teams exist. ' +
    'Allow only trusted networks (firewall, proxy, VPN); see docs/deployment.md.'
  );
}
