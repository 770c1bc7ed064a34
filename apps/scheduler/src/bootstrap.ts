import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { ApiErrorFilter } from './common/api-error.filter.js';
import { installHttpPipeline } from './common/http-pipeline.js';
import { exposureWarning } from './config/scheduler.config.js';
import { assertBrowsersReach, assertPortFree } from './database/embedded-postgres.js';
import { LiveIoAdapter } from './modules/live/live-io.adapter.js';

export interface StartedScheduler {
  app: INestApplication;
  /** Base URL the API listens on. */
  url: string;
}

/** Builds the Nest app (migrations run on init) without listening; tests and `listen` share it. */
export async function createSchedulerApp(options: AppModuleOptions, logger: LogLevel[] | false = ['error', 'warn']): Promise<INestApplication> {
  // Nest's body parser is off: `installHttpPipeline` adds ours after the origin check and before
  // the storable-text check, an order Nest's own would not keep.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger,
    abortOnError: false,
    bodyParser: false,
    // close() must not wait on keep-alive connections a worker holds open (it waited forever).
    forceCloseConnections: true,
  });
  installHttpPipeline(app, options.config);
  app.useWebSocketAdapter(new LiveIoAdapter(app, options.config.corsOrigins));
  app.useGlobalFilters(new ApiErrorFilter());
  return app;
}

/**
 * Creates the app and listens on the configured host and port. A host beyond the loopback is
 * refused unless `allowRemote` is set, and then printed as a warning (see `exposureWarning`).
 */
export async function startScheduler(options: AppModuleOptions, logger?: LogLevel[] | false): Promise<StartedScheduler> {
  const { port, host } = options.config;
  const warning = exposureWarning(options.config);
  if (port !== 0) {
    await assertPortFree(port, 'ABLATE_API_PORT', host);
    await assertBrowsersReach(port, 'ABLATE_API_PORT');
  }
  const app = await createSchedulerApp(options, logger);
  await app.listen(port, host);
  // Printed whatever the log levels: whoever starts it must see that it is reachable.
  if (warning) console.warn(warning);
  const server = app.getHttpServer() as import('node:http').Server;
  const address = server.address() as { port: number };
  return { app, url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${address.port}` };
}
