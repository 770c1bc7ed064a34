import { readFile, readdir } from 'node:fs/promises';

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export interface ProcSample {
  cpuSeconds: number;
  rssBytes: number;
}

// Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream architecture.
const TICKS_PER_SECOND = 100;

/** `withReapedChildren`: add the CPU of the process's children that have exited (cutime, cstime). */
export async function sampleProcess(pid: number, withReapedChildren = false): Promise<ProcSample> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at "state"; utime, stime, cutime and cstime are fields 14 to 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks =
    Number(fields[11]) +
    Number(fields[12]) +
    (withReapedChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  const cpuSeconds = ticks / TICKS_PER_SECOND;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds, rssBytes: rssKb * 1024 };
}

/**
 * The postmaster and all its backends: PostgreSQL's CPU seconds in total. Backends that ended
 * (the pool closes idle connections) count through the postmaster's reaped-children time.
 */
export async function sampleProcessTree(rootPid: number): Promise<ProcSample> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
    if (stat) parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const children = [...parents].filter(([, ppid]) => ppid === rootPid).map(([pid]) => pid);
  const samples = await Promise.all([
    sampleProcess(rootPid, true),
    ...children.map((pid) => sampleProcess(pid).catch(() => ({ cpuSeconds: 0, rssBytes: 0 }))),
  ]);
  return samples.reduce((a, b) => ({
    cpuSeconds: a.cpuSeconds + b.cpuSeconds,
    rssBytes: a.rssBytes + b.rssBytes,
  }));
}

/** Tracks a process over a window: CPU % of one core, and the peak RSS seen. */
export class ProcessMeter {
  private start: ProcSample | null = null;
  private startedAt = 0;
  private peakRss = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sample: () => Promise<ProcSample>) {}

  async begin(): Promise<void> {
    this.start = await this.sample();
    this.startedAt = performance.now();
    this.peakRss = this.start.rssBytes;
    this.timer = setInterval(() => {
      this.sample().then(
        (s) => (this.peakRss = Math.max(this.peakRss, s.rssBytes)),
        () => undefined,
      );
    }, 1000);
  }

  async end(): Promise<{ cpuPercent: number; rssMb: number; peakRssMb: number }> {
    if (this.timer) clearInterval(this.timer);
    const last = await this.sample();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const cpuPercent = ((last.cpuSeconds - (this.start?.cpuSeconds ?? 0)) / seconds) * 100;
    return {
      cpuPercent,
      rssMb: last.rssBytes / 2 ** 20,
      peakRssMb: Math.max(this.peakRss, last.rssBytes) / 2 ** 20,
    };
  }
}
