import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What `up` tells the guard (see stack-guard.process.ts). */
export type GuardMessage =
  | { type: 'group'; pid: number; name: string }
  | { type: 'postmaster'; pid: number }
  | { type: 'forget'; pid: number }
  | { type: 'release' };

/** `up`'s handle on its guard: what to stop if `up` dies without stopping things itself. */
export class StackGuard {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts the guard in its own process group and waits until it listens. */
  static async start(): Promise<StackGuard> {
    const main = fileURLToPath(new URL('./stack-guard.process.js', import.meta.url));
    const child = fork(main, [], { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the stack guard exited (${code}) as it started`)));
    });
    // The guard must not keep `up` alive, nor be waited for.
    child.unref();
    child.channel?.unref();
    return new StackGuard(child);
  }

  /** A child started detached (it leads its own process group): the guard ends the whole group. */
  watchGroup(name: string, pid: number | undefined): void {
    if (pid) this.send({ type: 'group', pid, name });
  }

  /** The embedded PostgreSQL server: stopped last, with a fast shutdown. */
  watchPostmaster(pid: number): void {
    this.send({ type: 'postmaster', pid });
  }

  /** Stopped by `up` itself: the pid may be reused, so the guard forgets it. */
  forget(pid: number | undefined): void {
    if (pid) this.send({ type: 'forget', pid });
  }

  /** Everything is stopped: the guard exits without acting. */
  async release(): Promise<void> {
    if (!this.child.connected) return;
    // Disconnect only once the message is written: closing the channel first could drop it.
    await new Promise<void>((resolve) => this.child.send({ type: 'release' } satisfies GuardMessage, () => resolve()));
    this.child.disconnect();
  }

  private send(message: GuardMessage): void {
    if (this.child.connected) this.child.send(message);
  }
}
