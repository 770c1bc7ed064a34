/**
 * The stack guard: a tiny process `ablate up` starts first, in its own process group, connected by an
 * IPC channel. `up` tells it what it started (child process groups, the postmaster). When the
 * channel closes without a `release` (up crashed or was killed with -9, which no handler in up can
 * see), the guard stops everything it was told about, so no dashboard keeps its port and no
 * PostgreSQL keeps the data folder. It writes nothing: its stdio may lead to a closed terminal.
 */
import type { GuardMessage } from './stack-guard.js';

const groups = new Map<number, string>(); // pgid → name: children started detached, each leading its group
const postmasters = new Set<number>();

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

function alive(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitGone(targets: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = targets.filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter(alive);
  }
  return left;
}

/** Children first (SIGTERM, SIGKILL after 10 s), PostgreSQL last (fast shutdown, SIGQUIT after 20 s). */
async function stopEverything(): Promise<void> {
  const pgids = [...groups.keys()].map((pgid) => -pgid);
  for (const g of pgids) signal(g, 'SIGTERM');
  for (const g of await waitGone(pgids, 10_000)) signal(g, 'SIGKILL');
  const pms = [...postmasters];
  for (const pid of pms) signal(pid, 'SIGINT');
  for (const pid of await waitGone(pms, 20_000)) signal(pid, 'SIGQUIT');
  process.exit(0);
}

let released = false;
process.on('message', (raw) => {
  const m = raw as GuardMessage;
  switch (m.type) {
    case 'group':
      groups.set(m.pid, m.name);
      break;
    case 'postmaster':
      postmasters.add(m.pid);
      break;
    case 'forget':
      groups.delete(m.pid);
      postmasters.delete(m.pid);
      break;
    case 'release':
      released = true;
      break;
  }
});
process.on('disconnect', () => {
  if (released) process.exit(0);
  void stopEverything();
});
// Not ours to act on: only the end of the channel means `up` is gone.
for (const sig of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.on(sig, () => undefined);
process.send?.({ type: 'ready' });
