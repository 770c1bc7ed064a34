import { readFileSync, readdirSync } from 'node:fs';

/**
 * Where a bench phase's CPU went, from /proc (Linux clock ticks of 1/100 s): this process (the agent
 * and the in-process scheduler), its children that have ended (the trials' processes, reaped when
 * their trial ends) and the embedded PostgreSQL (a child of this process that lives on: its
 * postmaster, its backends and the backends it reaped).
 */
export interface CpuSplit {
  agentAndScheduler: number;
  trials: number;
  postgres: number;
}

const TICKS_PER_SECOND = 100;

/** Fields after the command name: [0] state, [1] ppid, [11..14] utime, stime, cutime, cstime. */
function statFields(pid: number | 'self'): { comm: string; fields: string[] } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return {
      comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      fields: stat.slice(stat.lastIndexOf(')') + 2).split(' '),
    };
  } catch {
    return null; // the process ended between the listing and the read
  }
}

const ticks = (f: string[], from: number, to: number) =>
  f.slice(from, to).reduce((sum, v) => sum + Number(v), 0);

/** PostgreSQL's CPU seconds: every `postgres` process whose parent is this process or the postmaster. */
function postgresSeconds(): number {
  const processes = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => ({ pid: Number(name), stat: statFields(Number(name)) }))
    .filter((p) => p.stat?.comm === 'postgres');
  const postmasters = new Set(
    processes.filter((p) => Number(p.stat!.fields[1]) === process.pid).map((p) => p.pid),
  );
  return (
    processes.reduce((sum, p) => {
      const f = p.stat!.fields;
      if (postmasters.has(p.pid)) return sum + ticks(f, 11, 15);
      return postmasters.has(Number(f[1])) ? sum + ticks(f, 11, 13) : sum;
    }, 0) / TICKS_PER_SECOND
  );
}

export function sampleCpu(): CpuSplit {
  const self = statFields('self')!.fields;
  const postgres = postgresSeconds();
  // PostgreSQL is a child that has not ended, so cutime/cstime hold only the trials' processes.
  return {
    agentAndScheduler: ticks(self, 11, 13) / TICKS_PER_SECOND,
    trials: ticks(self, 13, 15) / TICKS_PER_SECOND,
    postgres,
  };
}

/** The cores each part used over a phase of `seconds`: "1.02 trials + 0.21 agent and scheduler + 0.09 PostgreSQL". */
export function describeCores(before: CpuSplit, after: CpuSplit, seconds: number): { total: number; line: string } {
  const part = (k: keyof CpuSplit) => (after[k] - before[k]) / seconds;
  const total = part('trials') + part('agentAndScheduler') + part('postgres');
  return {
    total,
    line: `${part('trials').toFixed(2)} trials + ${part('agentAndScheduler').toFixed(2)} agent and scheduler + ${part('postgres').toFixed(2)} PostgreSQL`,
  };
}
