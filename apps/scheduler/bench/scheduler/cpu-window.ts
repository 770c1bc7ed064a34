import { ProcessMeter, sampleProcess, sampleProcessTree } from '../load/process-stats.js';
import type { SchedulerProcess } from './scheduler-process.js';

/** CPU over a window, % of one core: the scheduler, PostgreSQL (all backends) and this process (workers and clients). */
export class CpuWindow {
  private readonly scheduler: ProcessMeter;
  private readonly postgres: ProcessMeter;
  private startedAt = 0;
  private startCpu = process.cpuUsage();

  private constructor(s: SchedulerProcess) {
    this.scheduler = new ProcessMeter(() => sampleProcess(s.schedulerPid));
    this.postgres = new ProcessMeter(() => sampleProcessTree(s.postmasterPid));
  }

  static async begin(s: SchedulerProcess): Promise<CpuWindow> {
    const w = new CpuWindow(s);
    await Promise.all([w.scheduler.begin(), w.postgres.begin()]);
    w.startedAt = performance.now();
    w.startCpu = process.cpuUsage();
    return w;
  }

  /** CPU % of one core over the window, and "CPU (% of a core): scheduler 80, PostgreSQL 60, workers 40". */
  async end(): Promise<{ scheduler: number; postgres: number; generator: number; line: string }> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const own = process.cpuUsage(this.startCpu);
    const [sched, pg] = await Promise.all([this.scheduler.end(), this.postgres.end()]);
    const generator = ((own.user + own.system) / 1e6 / seconds) * 100;
    const line = `CPU (% of a core): scheduler ${sched.cpuPercent.toFixed(0)}, PostgreSQL ${pg.cpuPercent.toFixed(0)}, simulated workers and clients ${generator.toFixed(0)}`;
    return { scheduler: sched.cpuPercent, postgres: pg.cpuPercent, generator, line };
  }
}
