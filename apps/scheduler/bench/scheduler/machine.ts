import os from 'node:os';

/** The machine a run measured: figures from a shared 2-core box say as much about the box as about the code. */
export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  /** 1-minute load average when the run started. */
  loadAtStart: number;
}

export function describeMachine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    node: process.version,
    loadAtStart: os.loadavg()[0]!,
  };
}

/** One line for the table's head; the load average at the end is read now. */
export function machineLine(m: Machine): string {
  const end = os.loadavg()[0]!;
  return `${m.cpu}, ${m.cores} cores, Node ${m.node}, ${os.platform()} ${os.release()}; load average (1 min) ${m.loadAtStart.toFixed(2)} at start, ${end.toFixed(2)} at end`;
}
