import { startScheduler, type SchedulerConfig, type StartedScheduler } from '@ablate/scheduler';
import type { Server } from 'node:http';

/**
 * Takes the scheduler down the way a crash does: stops listening and cuts every connection at once.
 * A plain `app.close()` waits for open keep-alive connections, and a worker retrying every few
 * hundred ms keeps one busy forever.
 */
export async function stopAbruptly(app: StartedScheduler['app']): Promise<void> {
  const server = app.getHttpServer() as Server;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  // WebSocket connections (the workers' push channel) are upgraded ones, which closeAllConnections
  // leaves open and server.close waits for; closing the app ends socket.io and them.
  await app.close();
  await closed;
}

/** A scheduler on the port (and, unless given another, the database) of the one that went down. */
export function startAgain(config: SchedulerConfig, url: string, databaseUrl = config.databaseUrl): Promise<StartedScheduler> {
  return startScheduler({ config: { ...config, port: Number(new URL(url).port), databaseUrl } }, ['error']);
}
