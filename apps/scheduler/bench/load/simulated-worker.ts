import { ApiClient, WORKER_IDENTITY_HEADER, type ReportResponse } from '@ablate/contracts';
import { postJson, refusalCode } from '../scheduler/worker-http.js';
import type { PointLedger } from './point-ledger.js';

/** What all simulated workers of one scenario measured. */
export interface LoadStats {
  /** Report round trips in ms, accepted or not. */
  latencies: number[];
  accepted: number;
  /** Refused or failed reports by error code (or exception name). */
  errors: Map<string, number>;
}

export function emptyStats(): LoadStats {
  return { latencies: [], accepted: 0, errors: new Map() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A worker agent without the training: registers with identity, leases a trial, reports one epoch
 * every 1/rate s (the next one waits for the previous answer, as the real agent does), completes the
 * trial after `epochs` epochs, heartbeats the trial it runs, and leases the next one.
 */
export class SimulatedWorker {
  private api!: ApiClient;
  private headers!: Record<string, string>;
  private workerId = '';
  private current: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly opts: { rate: number; epochs: number },
  ) {}

  async register(host: string): Promise<void> {
    const reg = await new ApiClient({ baseUrl: this.baseUrl, token: this.token }).registerWorker({
      host,
      slots: 1,
      backends: ['cpu'],
    });
    this.workerId = reg.workerId;
    this.api = new ApiClient({ baseUrl: this.baseUrl, token: this.token, worker: reg });
    this.headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${this.token}`,
      [WORKER_IDENTITY_HEADER]: `${reg.workerId}:${reg.workerSecret}`,
    };
  }

  /** Runs until `until` (performance.now() ms), recording every accepted report in the ledger. */
  async run(until: number, ledger: PointLedger, stats: LoadStats): Promise<void> {
    const beat = setInterval(() => {
      this.api
        .heartbeat(this.workerId, { trialIds: this.current ? [this.current] : [] })
        .catch(() => undefined);
    }, 15_000);
    const interval = 1000 / this.opts.rate;
    let next = performance.now() + Math.random() * interval; // spread the workers' first reports over one interval
    try {
      while (performance.now() < until) {
        const { trial } = await this.api.leaseTrial(this.workerId);
        if (!trial) {
          await sleep(200);
          continue;
        }
        this.current = trial.id;
        for (let step = (trial.resumeAfterStep ?? 0) + 1; step <= this.opts.epochs; step++) {
          await sleep(Math.max(0, next - performance.now()));
          next = Math.max(next + interval, performance.now() - interval); // no burst to catch up after a slow answer
          if (performance.now() >= until) return;
          const metrics = {
            val_acc: Math.round(Math.random() * 1e6) / 1e6,
            loss: Math.round(Math.random() * 3e6) / 1e6,
          };
          const type = step === this.opts.epochs ? 'completed' : 'epoch';
          const answer = await this.report(trial.id, { type, workerId: this.workerId, step, metrics }, stats);
          if (!answer) break;
          ledger.accept(trial.id, step, metrics);
          if (answer.cancel) break;
        }
        this.current = null;
      }
    } finally {
      clearInterval(beat);
    }
  }

  /** One report over a kept-alive connection (`postJson`, sent once more on ECONNRESET). */
  private async report(trialId: string, body: unknown, stats: LoadStats): Promise<ReportResponse | null> {
    const t0 = performance.now();
    try {
      const answer = await postJson<ReportResponse>(`${this.baseUrl}/api/trials/${trialId}/reports`, this.headers, body);
      stats.latencies.push(performance.now() - t0);
      if (answer.status < 300 && answer.body) {
        stats.accepted++;
        return answer.body;
      }
      const code = refusalCode(answer);
      stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
    } catch (err) {
      const name = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.name : 'error');
      stats.errors.set(name, (stats.errors.get(name) ?? 0) + 1);
    }
    return null;
  }
}
