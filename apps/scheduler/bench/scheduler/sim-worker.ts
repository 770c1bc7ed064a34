import {
  ApiClient,
  WORKER_IDENTITY_HEADER,
  WORKERS_NAMESPACE,
  type LeaseResponse,
  type LeasedTrial,
  type RegisterWorkerResponse,
  type ReportResponse,
  type TrialLogEntry,
  type TrialReport,
  type WorkerClientToServerEvents,
  type WorkerServerToClientEvents,
} from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { SimReportQueue } from './sim-report-queue.js';
import { postJson, refusalCode } from './worker-http.js';
import type { WorkerTally } from './worker-tally.js';

/** How a simulated trial runs. */
export interface TrialPlan {
  /** Epochs per trial: one `epoch` report each, then a `completed` report at the last step. */
  epochs: number;
  /** Simulated work per epoch in ms (a timer); 0 for zero-work trials. */
  epochMs: number;
  /**
   * Each epoch lasts `epochMs × (1 ± jitter)`, drawn uniformly: real epochs never take exactly the
   * same time, and a fleet of identical timers stays in lock-step, every worker finishing, leasing
   * and reporting in the same millisecond forever after its first lease.
   */
  jitter?: number;
  /** Metrics reported at `step` (the `completed` report repeats the last epoch's). */
  metrics(trial: LeasedTrial, step: number): Record<string, number>;
  /** Called as each report leaves (performance.now() ms), to time what follows it. */
  onSend?(trialId: string, step: number, at: number): void;
  /** True ends running trials early (their reports so far still go out), e.g. when a timed window closes. */
  cut?(): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A worker agent without the training, behaving as `apps/worker` does: registers with identity,
 * listens on `/workers`, leases one trial at a time, "trains" with timers while its epoch reports
 * queue and go out in order (training never waits for the network), then sends `completed` once
 * they are out (with the last epoch inside when they come together, as the agent does, after the
 * trial's log tail), heartbeats what it runs every TTL/4, and runs the next trial the completion's
 * answer leased (`nextLease`, as the agent's lease loop does), or leases one.
 */
export class SimWorker {
  private headers: Record<string, string> = {};
  private workerId = '';
  /** What this scheduler's completions take beside the report (`completionExtras`; none from an older build). */
  private extras: RegisterWorkerResponse['completionExtras'] = [];
  private running: string | null = null;
  private beat: NodeJS.Timeout | null = null;
  private push: Socket<WorkerServerToClientEvents, WorkerClientToServerEvents> | null = null;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async start(host: string): Promise<void> {
    const reg = await new ApiClient({ baseUrl: this.url, token: this.token }).registerWorker({
      host,
      slots: 1,
      backends: ['cpu'],
    });
    this.workerId = reg.workerId;
    this.extras = reg.completionExtras;
    const identity = `${reg.workerId}:${reg.workerSecret}`;
    this.headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${this.token}`,
      [WORKER_IDENTITY_HEADER]: identity,
    };
    this.push = io(`${this.url}${WORKERS_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token: this.token, worker: identity },
    });
    await new Promise<void>((resolve, reject) => {
      this.push!.once('connect', resolve);
      this.push!.once('connect_error', reject);
    });
    this.beat = setInterval(() => void this.heartbeat(), reg.heartbeatIntervalMs);
  }

  close(): void {
    if (this.beat) clearInterval(this.beat);
    this.push?.close();
  }

  /** Leases the next trial (null: none queued). */
  async lease(tally: WorkerTally): Promise<LeasedTrial | null> {
    const t0 = performance.now();
    const answer = await postJson<LeaseResponse>(
      `${this.url}/api/workers/${this.workerId}/lease`,
      this.headers,
      {},
    );
    tally.roundTrips.lease.push(performance.now() - t0);
    if (answer.status >= 300 || !answer.body) {
      tally.refused(refusalCode(answer));
      return null;
    }
    if (answer.body.trial) tally.leases++;
    else tally.emptyLeases++;
    return answer.body.trial;
  }

  /**
   * Runs one trial to its `completed` report, or until `plan.cut()` or the scheduler says stop.
   * Reports go as the agent's reporter sends them (`SimReportQueue`: the last epoch inside the
   * completion when they come together); with `askNext()` true as the completion leaves, it also
   * asks for the next trial (`nextLease`, one free slot), returned when the answer leased one.
   */
  async run(trial: LeasedTrial, plan: TrialPlan, tally: WorkerTally, askNext: () => boolean = () => false): Promise<LeasedTrial | null> {
    this.running = trial.id;
    const queue = new SimReportQueue(
      (report) => this.report(trial.id, report, plan, tally),
      () => (this.extras.includes('nextLease') && askNext() ? { freeGpus: 0, freeSlots: 1 } : null),
      this.extras.includes('lastEpoch'),
    );
    let due = performance.now();
    const first = (trial.resumeAfterStep ?? 0) + 1;
    let step = first;
    for (; step <= plan.epochs && !plan.cut?.() && queue.going; step++) {
      if (plan.epochMs > 0) {
        const work = plan.epochMs * (1 + (plan.jitter ?? 0) * (2 * Math.random() - 1));
        tally.workMs += work;
        due += work; // against the trial's start, so timer lateness does not add up over epochs
        await sleep(due - performance.now());
      }
      queue.push({ type: 'epoch', workerId: this.workerId, step, metrics: plan.metrics(trial, step) });
    }
    const last = step - 1;
    // As the agent: once the process has ended, its log tail goes inside the completion when the
    // scheduler stores a completion's `logs`, else alone before it.
    const tailInside = this.extras.includes('logs');
    if (last === plan.epochs && queue.going) {
      queue.processEnded();
      if (!tailInside) await this.sendLogTail(trial, tally);
    }
    if (last === plan.epochs && queue.going) {
      const logs = tailInside ? { logs: { attempt: trial.attempt, lines: logTail(trial) } } : {};
      queue.push({ type: 'completed', workerId: this.workerId, step: last, metrics: plan.metrics(trial, last), ...logs });
      if (tailInside) tally.logTailsInCompletion++;
    }
    await queue.settled();
    this.running = null;
    const answer = queue.completion;
    if (!answer) return null;
    tally.completed++;
    if (!answer.next) return null;
    tally.leases++;
    tally.leasesByCompletion++;
    return answer.next;
  }

  /** The trial's log tail sent alone before the last report, as the agent does for a scheduler that takes no `logs` in a completion. */
  private async sendLogTail(trial: LeasedTrial, tally: WorkerTally): Promise<void> {
    const lines = logTail(trial);
    const answer = await postJson(`${this.url}/api/trials/${trial.id}/logs`, this.headers, { workerId: this.workerId, attempt: trial.attempt, lines }).catch(
      (err: NodeJS.ErrnoException) => ({ status: 0, body: { code: err.code ?? err.name } }),
    );
    if (answer.status >= 300 || answer.status === 0) tally.refused(`logs: ${refusalCode(answer)}`);
    else tally.logTails++;
  }

  /** One report; its answer, or null when it was refused (the trial must stop). */
  private async report(trialId: string, report: TrialReport, plan: TrialPlan, tally: WorkerTally): Promise<ReportResponse | null> {
    const t0 = performance.now();
    if (report.type === 'completed' && report.lastEpoch) plan.onSend?.(trialId, report.lastEpoch.step, t0);
    if (report.type === 'epoch' || report.type === 'completed') plan.onSend?.(trialId, report.step, t0);
    const answer = await postJson<ReportResponse>(
      `${this.url}/api/trials/${trialId}/reports`,
      this.headers,
      report,
    ).catch((err: NodeJS.ErrnoException) => {
      tally.refused(err.code ?? err.name);
      return null;
    });
    if (report.type === 'epoch' || report.type === 'completed')
      tally.roundTrips[report.type].push(performance.now() - t0);
    if (!answer) return null;
    if (answer.status >= 300 || !answer.body) {
      tally.refused(refusalCode(answer));
      return null;
    }
    tally.reports++;
    return answer.body;
  }

  private async heartbeat(): Promise<void> {
    const trialIds = this.running ? [this.running] : [];
    await postJson(`${this.url}/api/workers/${this.workerId}/heartbeat`, this.headers, { trialIds }).catch(
      () => undefined,
    );
  }
}

/**
 * Every worker leases and runs trials while `more()` holds; a completion asks for the next trial
 * while it holds, and a trial so leased runs even if `more()` turned false meanwhile (the agent
 * runs what it leased). An empty lease waits `pollMs` and asks
 * again (a TPE sweep refills after each result; another worker's trial may still complete the queue).
 * With `staggerMs`, each worker starts after a random delay below it, as a fleet's workers never
 * start in the same millisecond.
 */
export async function runWorkers(
  workers: SimWorker[],
  plan: TrialPlan,
  tally: WorkerTally,
  more: () => boolean,
  opts: { pollMs?: number; staggerMs?: number } = {},
): Promise<void> {
  const pollMs = opts.pollMs ?? 20;
  await Promise.all(
    workers.map(async (w) => {
      await sleep(Math.random() * (opts.staggerMs ?? 0));
      let next: LeasedTrial | null = null;
      while (next || more()) {
        const trial: LeasedTrial | null = next ?? (await w.lease(tally));
        next = null;
        if (trial) next = await w.run(trial, plan, tally, more);
        else await sleep(pollMs);
      }
    }),
  );
}

/** Registers `count` simulated workers (each with its push channel) named `prefix-1`... */
export async function startWorkers(
  url: string,
  token: string,
  count: number,
  prefix: string,
): Promise<SimWorker[]> {
  const workers = Array.from({ length: count }, () => new SimWorker(url, token));
  await Promise.all(workers.map((w, i) => w.start(`${prefix}-${i + 1}`)));
  return workers;
}

/** A trial's log tail as the agent has it when the process ended: its "started" line and how it ended. */
function logTail(trial: LeasedTrial): TrialLogEntry[] {
  const at = new Date().toISOString();
  return [
    { seq: 0, stream: 'agent', line: `started with ${JSON.stringify(trial.params)}`, at },
    { seq: 1, stream: 'agent', line: 'process ended: completed', at },
  ];
}
