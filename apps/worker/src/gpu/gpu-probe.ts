import { execFile } from 'node:child_process';

/** One GPU as `nvidia-smi` sees it at one moment. */
export interface GpuStat {
  /** Index as the node numbers it (what `CUDA_VISIBLE_DEVICES` names). */
  index: number;
  /** Model name. */
  name: string;
  /** Memory in all, MiB. */
  memoryTotalMb: number;
  /** Memory in use, MiB (null when the driver does not say). */
  memoryUsedMb: number | null;
  /** Busy share of the last sample period, 0-100 (null when the driver does not say). */
  utilizationPercent: number | null;
}

/**
 * What the agent knows of the node's GPUs: listed once at start (which GPUs there are) and on every
 * heartbeat (their gauges). Injectable, so tests and CPU-only nodes need no driver.
 */
export interface GpuProbe {
  /** Every GPU of the node, with its gauges now; empty when the node has none (or no driver). */
  list(): Promise<GpuStat[]>;
}

/** The query, in the column order `parseNvidiaSmi` reads. */
export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,name,memory.total,memory.used,utilization.gpu',
  '--format=csv,noheader,nounits',
];

/**
 * `nvidia-smi` on `PATH`. A node without it (ENOENT) has no GPUs; one whose driver fails says so in
 * `onProblem` once and counts as having none, so a broken driver never stops a CPU worker.
 */
export class NvidiaSmiProbe implements GpuProbe {
  private lastProblem = '';

  constructor(
    private readonly onProblem: (line: string) => void = () => undefined,
    private readonly command = 'nvidia-smi',
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  list(): Promise<GpuStat[]> {
    return new Promise((resolve) => {
      // CUDA_VISIBLE_DEVICES does not hide GPUs from nvidia-smi; the agent applies it itself.
      execFile(this.command, NVIDIA_SMI_ARGS, { timeout: 10_000, env: this.env }, (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return resolve([]);
        if (err) {
          this.problem(`${this.command} failed (${stderr.trim() || err.message}); no GPUs will be used`);
          return resolve([]);
        }
        try {
          resolve(parseNvidiaSmi(stdout));
        } catch (parseErr) {
          this.problem(
            `${this.command} answered what the agent cannot read (${(parseErr as Error).message}); no GPUs will be used`,
          );
          resolve([]);
        }
      });
    });
  }

  private problem(line: string): void {
    if (line !== this.lastProblem) this.onProblem(line);
    this.lastProblem = line;
  }
}

/** Reads `index, name, memory.total, memory.used, utilization.gpu` lines (`[N/A]` or `[Not Supported]` → null). */
export function parseNvidiaSmi(text: string): GpuStat[] {
  const gpus: GpuStat[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 5) throw new Error(`"${line}" has ${fields.length} fields, expected 5`);
    // A name may itself hold a comma: the first field is the index, the last three are numbers.
    const [indexText, ...rest] = fields;
    const [total, used, util] = rest.splice(-3);
    const index = Number(indexText);
    const memoryTotalMb = number(total);
    if (!Number.isInteger(index) || index < 0 || memoryTotalMb === null)
      throw new Error(`"${line}" does not start with an index and a memory size`);
    gpus.push({
      index,
      name: rest.join(', '),
      memoryTotalMb: Math.round(memoryTotalMb),
      memoryUsedMb: number(used),
      utilizationPercent: clampPercent(number(util)),
    });
  }
  return gpus;
}

function number(field: string | undefined): number | null {
  if (field === undefined || field === '' || field.startsWith('[')) return null;
  const n = Number(field);
  return Number.isFinite(n) ? n : null;
}

function clampPercent(n: number | null): number | null {
  return n === null ? null : Math.min(100, Math.max(0, n));
}
