import type {
  HeartbeatRequest,
  LeaseRequest,
  LeasedTrial,
  RegisterWorkerRequest,
  ReportResponse,
  TrialReport,
} from '@ablate/contracts';
import { randomUUID } from 'node:crypto';

type Answer = Partial<ReportResponse>;

/**
 * A scheduler in memory, spoken to through `fetch`: it hands out queued trials to lease requests,
 * records every call, and answers reports with what the spec scripts (`continue` by default). Only
 * the routes the agent calls exist; unit specs of the agent's loop run against it in milliseconds.
 */
export class FakeScheduler {
  readonly workerId = randomUUID();
  readonly queue: LeasedTrial[] = [];
  readonly registrations: RegisterWorkerRequest[] = [];
  readonly leases: LeaseRequest[] = [];
  readonly heartbeats: HeartbeatRequest[] = [];
  readonly reports: { trialId: string; report: TrialReport }[] = [];
  /** Answers to the next report of a trial, by trial id (one each, then `continue`). */
  readonly answers = new Map<string, Answer>();

  constructor(private readonly heartbeatIntervalMs = 40) {}

  /** Queues a trial for leasing. */
  add(gpus = 0, template = 'mnist-cnn'): LeasedTrial {
    const trial: LeasedTrial = {
      id: randomUUID(),
      sweepId: randomUUID(),
      template,
      params: {},
      attempt: 1,
      resumeAfterStep: null,
      gpus,
      leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    this.queue.push(trial);
    return trial;
  }

  reportsOf(trialId: string): TrialReport[] {
    return this.reports.filter((r) => r.trialId === trialId).map((r) => r.report);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- a fetch answers with a promise
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const body: unknown = init?.body ? JSON.parse(init.body as string) : undefined;
    const path = url.pathname;
    if (path === '/api/workers') {
      this.registrations.push(body as RegisterWorkerRequest);
      return Response.json({
        workerId: this.workerId,
        workerSecret: 's',
        leaseTtlMs: 60_000,
        heartbeatIntervalMs: this.heartbeatIntervalMs,
      });
    }
    if (path.endsWith('/lease')) {
      const req = body as LeaseRequest;
      this.leases.push(req);
      const i = this.queue.findIndex((t) => t.gpus <= req.freeGpus);
      const trial = req.freeSlots > 0 && i >= 0 ? this.queue.splice(i, 1)[0]! : null;
      return Response.json({ trial });
    }
    if (path.endsWith('/heartbeat')) {
      const req = body as HeartbeatRequest;
      this.heartbeats.push(req);
      return Response.json({
        renewed: req.trialIds,
        stop: [],
        leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
    }
    const report = /^\/api\/trials\/([^/]+)\/reports$/.exec(path);
    if (report) {
      const trialId = report[1]!;
      this.reports.push({ trialId, report: body as TrialReport });
      const answer = this.answers.get(trialId);
      this.answers.delete(trialId);
      return Response.json({
        cancel: false,
        decision: 'continue',
        reason: null,
        leaseExpiresAt: null,
        ...answer,
      });
    }
    return Response.json({ code: 'not_found', message: `no route ${path}` }, { status: 404 });
  };
}
