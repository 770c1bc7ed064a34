import type { GpuGauge, WorkerSlot, WorkerTelemetry } from '@ablate/contracts';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { GpuProbe } from '../gpu/gpu-probe.js';

interface CpuTimes {
  busy: number;
  total: number;
  cores: number;
}

/**
 * The node's gauges for each heartbeat: CPU busy share since the previous sample (all cores), RAM in
 * use (total minus what the kernel calls available, so the page cache does not count as used), the
 * gauges of the GPUs the agent uses, and what each slot runs.
 */
export class NodeTelemetry {
  private last: CpuTimes = cpuTimes();

  constructor(
    private readonly o: {
      /** Probes the GPUs (null on a node without any: no `nvidia-smi` call per heartbeat). */
      gpuProbe: GpuProbe | null;
      /** The GPUs the agent uses (others on the node are not its to show). */
      gpus: number[];
      /** Slots and their trials now. */
      slots: () => WorkerSlot[];
    },
  ) {}

  async sample(): Promise<WorkerTelemetry> {
    const now = cpuTimes();
    const busy = now.busy - this.last.busy;
    const total = now.total - this.last.total;
    this.last = now;
    const [memory, gpus] = await Promise.all([memoryUse(), this.gpuGauges()]);
    return {
      cpu: {
        utilizationPercent: total > 0 ? round(Math.min(100, (100 * busy) / total)) : 0,
        cores: Math.max(1, now.cores),
      },
      memory,
      gpus,
      slots: this.o.slots(),
    };
  }

  private async gpuGauges(): Promise<GpuGauge[]> {
    if (!this.o.gpuProbe || this.o.gpus.length === 0) return [];
    const stats = await this.o.gpuProbe.list();
    return stats
      .filter((g) => this.o.gpus.includes(g.index))
      .map((g) => ({
        index: g.index,
        utilizationPercent: g.utilizationPercent,
        memoryUsedMb: g.memoryUsedMb,
        memoryTotalMb: g.memoryTotalMb,
      }));
  }
}

function cpuTimes(): CpuTimes {
  const cpus = os.cpus();
  let busy = 0;
  let total = 0;
  for (const c of cpus) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total, cores: cpus.length };
}

/** Linux: MemTotal - MemAvailable from /proc/meminfo; elsewhere os.freemem (which counts the cache as used). */
async function memoryUse(): Promise<{ usedBytes: number; totalBytes: number }> {
  const totalBytes = os.totalmem();
  try {
    const text = await readFile('/proc/meminfo', 'utf8');
    const kb = /^MemAvailable:\s+(\d+) kB/m.exec(text)?.[1];
    if (kb !== undefined) return { usedBytes: Math.max(0, totalBytes - Number(kb) * 1024), totalBytes };
  } catch {
    // not Linux
  }
  return { usedBytes: totalBytes - os.freemem(), totalBytes };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
