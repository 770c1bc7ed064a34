import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProcessInfo {
  /** Parent pid. */
  ppid: number;
  /** Process state letter (`Z` for a zombie). */
  state: string;
  /** Command line, arguments joined by spaces. */
  cmdline: string;
}

/** Reads /proc (Linux); null when the process is gone or /proc is not there. */
async function describe(pid: number): Promise<ProcessInfo | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
    return { ppid: Number(ppid), state, cmdline };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `ablate up` killed hard (kill -9, a crashed terminal) can leave its PostgreSQL running on the data
 * folder and port, and the next start would fail with "port in use". Stops such a leftover server
 * (fast shutdown: SIGINT) when nothing else owns it; otherwise says exactly what to do.
 */
export async function stopLeftoverPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  let pidText: string;
  try {
    pidText = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return;
  }
  const pid = Number(pidText.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // a stale file: PostgreSQL replaces it itself
  const info = await describe(pid);
  if (!info) {
    throw new Error(`PostgreSQL (pid ${pid}) seems to be running on ${dataDir} already. Stop it with \`kill -INT ${pid}\`, then start again.`);
  }
  if (info.state === 'Z' || !/postgres/.test(info.cmdline)) return; // exited, or the pid now belongs to another program
  const parent = info.ppid > 1 && info.ppid !== process.pid ? await describe(info.ppid) : null;
  if (parent && /\bnode\b/.test(parent.cmdline)) {
    throw new Error(
      `PostgreSQL on ${dataDir} belongs to a running process (pid ${info.ppid}: ${parent.cmdline.slice(0, 120)}). ` +
        `Stop that Ablate first (Ctrl-C in its terminal, or \`kill ${info.ppid}\`), or give this one its own ABLATE_HOME.`,
    );
  }
  log(`Stopping PostgreSQL (pid ${pid}) left running on ${dataDir} by an earlier run...`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const now = await describe(pid);
    if (!isAlive(pid) || now?.state === 'Z') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL (pid ${pid}) on ${dataDir} did not stop within 30 s. Stop it with \`kill -QUIT ${pid}\`, then start again.`);
}
