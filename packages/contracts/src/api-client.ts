import { z } from 'zod';
import { ApiError, ApiErrorBody, ErrorCode } from './errors.js';
import type { SweepSpecInput } from './sweep-spec.schema.js';
import {
  ACTOR_HEADER,
  LeaderboardPage,
  SweepDetail,
  SweepEventList,
  SweepList,
  SweepSummary,
  TemplateList,
  type LeaderboardQueryInput,
  type UpdateSweepRequest,
} from './sweep.schema.js';
import { SWEEP_ARCHIVE_MEDIA_TYPE, SweepArchive } from './sweep-archive.schema.js';
import { SweepAnalysis } from './sweep-analysis.schema.js';
import {
  HeartbeatResponse,
  LeaseResponse,
  RegisterWorkerResponse,
  WORKER_IDENTITY_HEADER,
  WorkerList,
  type HeartbeatRequestInput,
  ReportResponse,
  type RegisterWorkerRequestInput,
  type TrialReport,
} from './worker.schema.js';
import type { LeaseRequestInput } from './worker-resources.schema.js';
import { TrialMetrics, TrialSummary, type TrialMetricsQueryInput } from './trial.schema.js';
import { CHECKPOINT_MEDIA_TYPE, CHECKPOINT_STEP_HEADER, CheckpointInfo, CheckpointRemoval, parseCheckpointStep } from './artifact.schema.js';
import { TrialLogBatchResponse, TrialLogTail, type TrialLogBatch } from './trial-log.schema.js';
import { TrialDetail } from './trial-detail.schema.js';

export interface ApiClientOptions {
  /** Base URL of the scheduler, e.g. `http://localhost:4000`. */
  baseUrl: string;
  /** Bearer token (the worker token for worker calls). */
  token?: string;
  /** A registered worker's identity, sent on every call as `X-Ablate-Worker: <workerId>:<workerSecret>`. */
  worker?: { workerId: string; workerSecret: string };
  /** Who acts, sent as `X-Ablate-Actor` and recorded in sweep events (CLI: the OS user; dashboard: "dashboard"). */
  actor?: string;
  /** fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
}

/** Typed client for the scheduler's REST API; every response is parsed with its contract. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  createSweep(spec: SweepSpecInput): Promise<SweepSummary> {
    return this.request('POST', '/api/sweeps', SweepSummary, spec);
  }
  /** Newest first; `offset`/`limit` page through them (limit at most 200), `project` keeps one project's. */
  listSweeps(options: { offset?: number; limit?: number; project?: string } = {}): Promise<SweepList> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options)) if (value !== undefined) query.set(key, String(value));
    const qs = query.size > 0 ? `?${query.toString()}` : '';
    return this.request('GET', `/api/sweeps${qs}`, SweepList);
  }
  /** The sweep with every trial, ranked; with `top`, only the best `top` trials (the live ack's shape). */
  getSweep(id: string, options: { top?: number } = {}): Promise<SweepDetail> {
    const query = options.top === undefined ? '' : `?top=${options.top}`;
    return this.request('GET', `/api/sweeps/${encodeURIComponent(id)}${query}`, SweepDetail);
  }
  /** One page of the sweep's leaderboard, ranked by the database (trials, or configurations with `group: 'config'`). */
  getLeaderboard(id: string, query: LeaderboardQueryInput = {}): Promise<LeaderboardPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query) as [string, string | number | undefined][]) if (value !== undefined) params.set(key, String(value));
    const search = params.size > 0 ? `?${params.toString()}` : '';
    return this.request('GET', `/api/sweeps/${encodeURIComponent(id)}/leaderboard${search}`, LeaderboardPage);
  }
  /** Importance, ablation against the baseline, best-so-far and parallel-coordinates lines, over the sweep's finished trials. */
  getSweepAnalysis(id: string): Promise<SweepAnalysis> {
    return this.request('GET', `/api/sweeps/${encodeURIComponent(id)}/analysis`, SweepAnalysis);
  }
  /** Where the sweep's leaderboard downloads as a file (`Content-Disposition: attachment`): CSV of trials or configurations, or JSON with every curve. */
  downloadUrl(id: string, format: 'csv' | 'json', group: 'trial' | 'config' = 'trial'): string {
    return `${this.options.baseUrl.replace(/\/$/, '')}/api/sweeps/${encodeURIComponent(id)}/download?format=${format}&group=${group}`;
  }
  /** Stops the sweep now: every unfinished trial (paused ones too) is cancelled and its worker told to stop. */
  cancelSweep(id: string): Promise<SweepSummary> {
    return this.request('POST', `/api/sweeps/${encodeURIComponent(id)}/cancel`, SweepSummary);
  }
  /** No new leases for the sweep; running trials go on. */
  pauseSweep(id: string): Promise<SweepSummary> {
    return this.request('POST', `/api/sweeps/${encodeURIComponent(id)}/pause`, SweepSummary);
  }
  /** Leases the sweep's trials again after a pause. */
  resumeSweep(id: string): Promise<SweepSummary> {
    return this.request('POST', `/api/sweeps/${encodeURIComponent(id)}/resume`, SweepSummary);
  }
  /** Starts no new trials (queued ones are cancelled); running ones finish, then the sweep completes. */
  stopSweep(id: string): Promise<SweepSummary> {
    return this.request('POST', `/api/sweeps/${encodeURIComponent(id)}/stop`, SweepSummary);
  }
  /** Changes a running sweep's budget (`maxTrials` may only grow). */
  updateSweep(id: string, body: UpdateSweepRequest): Promise<SweepSummary> {
    return this.request('PATCH', `/api/sweeps/${encodeURIComponent(id)}`, SweepSummary, body);
  }
  /** Every recorded action on the sweep (who and when), oldest first. */
  listSweepEvents(id: string): Promise<SweepEventList> {
    return this.request('GET', `/api/sweeps/${encodeURIComponent(id)}/events`, SweepEventList);
  }
  /** One trial with its sweep, its runs (attempts and the worker of each), its error code and stored checkpoint. */
  getTrial(trialId: string): Promise<TrialDetail> {
    return this.request('GET', `/api/trials/${encodeURIComponent(trialId)}`, TrialDetail);
  }
  /** Cancels one trial; its worker is told to stop. */
  cancelTrial(trialId: string): Promise<TrialSummary> {
    return this.request('POST', `/api/trials/${encodeURIComponent(trialId)}/cancel`, TrialSummary);
  }
  /** The trial's metric points by step, then name; with `afterStep`, only those after that step (a live page appends them). */
  getTrialMetrics(trialId: string, query: TrialMetricsQueryInput = {}): Promise<TrialMetrics> {
    const search = query.afterStep === undefined ? '' : `?afterStep=${encodeURIComponent(String(query.afterStep))}`;
    return this.request('GET', `/api/trials/${encodeURIComponent(trialId)}/metrics${search}`, TrialMetrics);
  }
  /** The trial's stored log tail (stdout, stderr and the agent's lines), oldest first. */
  getTrialLogs(trialId: string): Promise<TrialLogTail> {
    return this.request('GET', `/api/trials/${encodeURIComponent(trialId)}/logs`, TrialLogTail);
  }
  /** Sends the next log lines of a trial this worker holds. */
  sendTrialLogs(trialId: string, batch: TrialLogBatch): Promise<TrialLogBatchResponse> {
    return this.request('POST', `/api/trials/${encodeURIComponent(trialId)}/logs`, TrialLogBatchResponse, batch);
  }
  listTemplates(): Promise<TemplateList> {
    return this.request('GET', '/api/templates', TemplateList);
  }
  /** Registered workers, with the number of trials each holds (no secrets). */
  listWorkers(): Promise<WorkerList> {
    return this.request('GET', '/api/workers', WorkerList);
  }
  registerWorker(body: RegisterWorkerRequestInput): Promise<RegisterWorkerResponse> {
    return this.request('POST', '/api/workers', RegisterWorkerResponse, body);
  }
  heartbeat(workerId: string, body: HeartbeatRequestInput = {}): Promise<HeartbeatResponse> {
    return this.request('POST', `/api/workers/${encodeURIComponent(workerId)}/heartbeat`, HeartbeatResponse, body);
  }
  /** The next trial that fits what the worker can hold now (`body`: its free GPUs and slots; default one slot, no GPU). */
  leaseTrial(workerId: string, body: LeaseRequestInput = {}): Promise<LeaseResponse> {
    return this.request('POST', `/api/workers/${encodeURIComponent(workerId)}/lease`, LeaseResponse, body);
  }
  report(trialId: string, report: TrialReport): Promise<ReportResponse> {
    return this.request('POST', `/api/trials/${encodeURIComponent(trialId)}/reports`, ReportResponse, report);
  }

  /** The sweep with its trials and every metric point (`ablate sweep export`). */
  exportSweep(id: string): Promise<SweepArchive> {
    return this.request('GET', `/api/sweeps/${encodeURIComponent(id)}/export`, SweepArchive);
  }
  /**
   * Imports an archive as a new sweep (new ids). `archive` is its JSON text, gzipped when `gzip` is
   * set, or a stream of those bytes (to show upload progress); `project` files it under another project.
   */
  importSweep(archive: RawBody['data'], options: { project?: string; gzip?: boolean } = {}): Promise<SweepSummary> {
    const query = options.project === undefined ? '' : `?project=${encodeURIComponent(options.project)}`;
    const raw: RawBody = { data: archive, contentType: SWEEP_ARCHIVE_MEDIA_TYPE, contentEncoding: options.gzip ? 'gzip' : undefined };
    return this.request('POST', `/api/sweeps/import${query}`, SweepSummary, undefined, raw);
  }

  /** Uploads the checkpoint of a trial this worker holds: its folder as a gzipped tar, taken at `step`. */
  putCheckpoint(trialId: string, step: number, archive: RawBody['data']): Promise<CheckpointInfo> {
    const raw: RawBody = { data: archive, contentType: CHECKPOINT_MEDIA_TYPE, headers: { [CHECKPOINT_STEP_HEADER]: String(step) } };
    return this.request('PUT', `/api/trials/${encodeURIComponent(trialId)}/checkpoint`, CheckpointInfo, undefined, raw);
  }
  /** The latest checkpoint of a trial this worker holds, as a gzipped tar stream with its step; null when none is stored. */
  async getCheckpoint(trialId: string): Promise<{ step: number; archive: ReadableStream<Uint8Array> } | null> {
    const path = `/api/trials/${encodeURIComponent(trialId)}/checkpoint`;
    let res: Response;
    try {
      res = await this.send('GET', path, CHECKPOINT_MEDIA_TYPE);
    } catch (err) {
      if (err instanceof ApiError && err.code === ErrorCode.CheckpointNotFound) return null;
      throw err;
    }
    const step = parseCheckpointStep(res.headers.get(CHECKPOINT_STEP_HEADER));
    if (step === null || !res.body) throw new ApiError(ErrorCode.Internal, `GET ${path} answered without a checkpoint or its ${CHECKPOINT_STEP_HEADER} header`);
    return { step, archive: res.body };
  }
  /** Removes a trial's stored checkpoint: the lease holder may, and any worker once the trial was cancelled, pruned or failed. */
  deleteCheckpoint(trialId: string): Promise<CheckpointRemoval> {
    return this.request('DELETE', `/api/trials/${encodeURIComponent(trialId)}/checkpoint`, CheckpointRemoval);
  }

  private async request<T>(method: string, path: string, schema: z.ZodType<T> | null, body?: unknown, raw?: RawBody): Promise<T> {
    const json = parseJson(await (await this.send(method, path, 'application/json', body, raw)).text());
    return schema ? schema.parse(json) : (undefined as T);
  }

  /** Sends one call; an answer other than 2xx throws its `ApiError`. Reading the body is the caller's. */
  private async send(method: string, path: string, accept: string, body?: unknown, raw?: RawBody): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    const headers: Record<string, string> = { accept, ...raw?.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw) headers['content-type'] = raw.contentType;
    if (raw?.contentEncoding) headers['content-encoding'] = raw.contentEncoding;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    // Percent-encoded: a header value must be Latin-1, an OS user name need not be.
    if (this.options.actor) headers[ACTOR_HEADER] = encodeURIComponent(this.options.actor);
    if (this.options.worker) headers[WORKER_IDENTITY_HEADER] = `${this.options.worker.workerId}:${this.options.worker.workerSecret}`;
    const res = await doFetch(new URL(path, this.options.baseUrl), {
      method,
      headers,
      body: raw ? raw.data : body === undefined ? undefined : JSON.stringify(body),
      // fetch sends a stream only when told it will not read the response before the upload ends.
      ...(raw?.data instanceof ReadableStream ? { duplex: 'half' as const } : {}),
    });
    if (!res.ok) {
      const json = parseJson(await res.text());
      const parsed = ApiErrorBody.safeParse(json);
      if (parsed.success) throw new ApiError(parsed.data.code, parsed.data.message, parsed.data.issues);
      // A proxy or a scheduler that is starting up answers without our error body.
      const code = res.status === 502 || res.status === 503 || res.status === 504 ? ErrorCode.Unavailable : ErrorCode.Internal;
      throw new ApiError(code, `${method} ${path} failed with HTTP ${res.status}`);
    }
    return res;
  }
}

/** A request body sent as it is, not JSON-encoded by the client. */
interface RawBody {
  /** The bytes (or text) to send. */
  data: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array<ArrayBuffer>>;
  /** Its media type. */
  contentType: string;
  /** `gzip` when the bytes are compressed. */
  contentEncoding?: string;
  /** More headers the call needs (e.g. a checkpoint's step). */
  headers?: Record<string, string>;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * True for failures that say nothing about the request itself: the scheduler or its database was
 * unreachable, or it answered 5xx. The same call can be retried (reports are idempotent).
 */
export function isTransientError(err: unknown): boolean {
  if (err instanceof ApiError) return err.code === ErrorCode.Unavailable || err.code === ErrorCode.Internal;
  // fetch rejects with a TypeError ("fetch failed") when the connection is refused or reset.
  return err instanceof TypeError || (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError'));
}
