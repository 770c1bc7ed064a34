import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { Server, ServerOptions } from 'socket.io';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { ApiErrorFilter } from './common/api-error.filter.js';
import { assertPortFree } from './database/embedded-postgres.js';

/** socket.io with the same CORS origins as the REST API. */
class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplication,
    private readonly origins: string[],
  ) {
    super(app);
  }
  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, { ...options, cors: { origin: this.origins } } as ServerOptions);
  }
}

export interface StartedScheduler {
  app: INestApplication;
  /** Base URL the API listens on. */
  url: string;
}

/** Builds the Nest app (migrations run on init) without listening; tests and `listen` share it. */
export async function createSchedulerApp(options: AppModuleOptions, logger: LogLevel[] | false = ['error', 'warn']): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), { logger, abortOnError: false });
  app.enableCors({ origin: options.config.corsOrigins });
  app.useWebSocketAdapter(new LiveIoAdapter(app, options.config.corsOrigins));
  app.useGlobalFilters(new ApiErrorFilter());
  return app;
}

/** Creates the app and listens on the configured host and port. */
export async function startScheduler(options: AppModuleOptions, logger?: LogLevel[] | false): Promise<StartedScheduler> {
  const { port, host } = options.config;
  if (port !== 0) await assertPortFree(port, 'ABLATE_API_PORT', host);
  const app = await createSchedulerApp(options, logger);
  await app.listen(port, host);
  const server = app.getHttpServer() as import('node:http').Server;
  const address = server.address() as { port: number };
  return { app, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}` };
}
