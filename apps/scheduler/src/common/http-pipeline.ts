import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import type { SchedulerConfig } from '../config/scheduler.config.js';
import { OriginPolicy } from './origin-policy.js';
import { storableTextMiddleware } from './storable-text.middleware.js';

/** Largest JSON body the API reads: a sweep spec or a report is a few kB; more is a mistake or an attack. */
export const JSON_BODY_LIMIT = '100kb';

/**
 * Responses above this many bytes are compressed. A 10,000-trial sweep's ranked detail is ~4 MB of
 * JSON and shrinks about tenfold (docs/scheduler-benchmarks.md); small answers are not worth the CPU.
 */
const COMPRESSION_THRESHOLD = 1024;

/**
 * The express middleware every request passes, in this order (Nest's own body parser is off so the
 * order is ours): foreign origins refused (before CORS answers any preflight), CORS headers for
 * the dashboard, response compression, the JSON body parser, and the storable-text check. Errors
 * any of them raise reach `ApiErrorFilter` through Nest's error handler.
 */
export function installHttpPipeline(app: NestExpressApplication, config: SchedulerConfig): void {
  const origins = new OriginPolicy(config.corsOrigins);
  app.use(origins.middleware());
  app.enableCors({ origin: (origin, callback) => callback(null, origins.allows(origin)) });
  app.use(compression({ threshold: COMPRESSION_THRESHOLD }));
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.use(storableTextMiddleware);
}
