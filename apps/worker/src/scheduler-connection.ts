import {
  ApiClient,
  ApiError,
  ErrorCode,
  isTransientError,
  type LeaseRequest,
  type LeasedTrial,
  type RegisterWorkerRequestInput,
  type RegisterWorkerResponse,
} from '@ablate/contracts';
import { Backoff, pause, type BackoffOptions } from './backoff.js';

export interface SchedulerConnectionOptions {
  apiUrl: string;
  token: string;
  /** What the worker registers as. */
  registration: RegisterWorkerRequestInput;
  log: (line: string) => void;
  backoff?: BackoffOptions;
  /** A call that has not answered within this many ms counts as a transient failure. */
  requestTimeoutMs?: number;
  /** fetch implementation (default: the global one); specs script the scheduler's answers with it. */
  fetch?: typeof fetch;
}

/**
 * Lets a trial's `completed` report lease the worker's next trial (`nextLease`), one call fewer
 * per trial than a lease of its own: the lease loop says what the node can hold once the trial
 * ends, and takes the trial the answer brings for the slot it frees.
 */
export interface NextLeaseDesk {
  /** What the node can hold once `trialId` has ended (its slots counted free); null asks nothing (the agent is stopping). */
  askAfter(trialId: string): LeaseRequest | null;
  /** The completion of `trialId` was answered with `trial` (null: nothing fits now). */
  leased(trialId: string, trial: LeasedTrial | null): void;
}

/**
 * The worker's link to the scheduler: its registration (id + secret, sent on every call), one log
 * line when the scheduler becomes unreachable and one when it is back (not one per call), and
 * registering again when the scheduler has forgotten this worker.
 */
export class SchedulerConnection {
  private readonly anonymous: ApiClient;
  private client: ApiClient | null = null;
  private current: RegisterWorkerResponse | null = null;
  private reregistering: Promise<void> | null = null;
  private unreachableSince: number | null = null;
  private readonly registered = new Set<(reg: RegisterWorkerResponse) => void>();
  private readonly fetch: typeof fetch;
  /** Aborted by `close`: ends every registration still waiting for the scheduler. */
  private readonly closed = new AbortController();
  /** Where completions ask for the next trial (the lease loop, while it runs); null: completions ask nothing. */
  nextLeases: NextLeaseDesk | null = null;

  constructor(private readonly o: SchedulerConnectionOptions) {
    const timeoutMs = o.requestTimeoutMs ?? 30_000;
    // A scheduler that accepts the connection but never answers must not hang a report forever.
    const base = o.fetch ?? fetch;
    this.fetch = (input, init) => base(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    this.anonymous = new ApiClient({ baseUrl: o.apiUrl, token: o.token, fetch: this.fetch });
  }

  /** The client that carries this worker's identity (after `register`). */
  get api(): ApiClient {
    if (!this.client) throw new Error('the worker is not registered yet');
    return this.client;
  }

  /** The current registration (after `register`). */
  get registration(): RegisterWorkerResponse {
    if (!this.current) throw new Error('the worker is not registered yet');
    return this.current;
  }

  get workerId(): string {
    return this.registration.workerId;
  }

  /**
   * Registers, retrying while the scheduler is unreachable (it may start after the worker) until
   * `signal` aborts; a refusal (bad token) throws at once with what to fix.
   */
  async register(signal?: AbortSignal): Promise<RegisterWorkerResponse> {
    const backoff = new Backoff(this.o.backoff);
    const until = signal ? AbortSignal.any([signal, this.closed.signal]) : this.closed.signal;
    for (;;) {
      try {
        const reg = await this.anonymous.registerWorker(this.o.registration);
        this.noteAnswer();
        this.current = reg;
        this.client = new ApiClient({
          baseUrl: this.o.apiUrl,
          token: this.o.token,
          fetch: this.fetch,
          worker: { workerId: reg.workerId, workerSecret: reg.workerSecret },
        });
        for (const listener of this.registered) listener(reg);
        return reg;
      } catch (err) {
        if (!isTransientError(err) || until.aborted) throw registrationError(err, this.o.apiUrl);
        this.noteFailure(err);
        await pause(backoff.next(), until);
      }
    }
  }

  /**
   * After an answer `worker_not_found` for `workerId` (the scheduler removed a registration it had
   * not heard from for long): registers again, once however many calls noticed it at the same time.
   */
  async reregister(workerId: string, signal?: AbortSignal): Promise<void> {
    if (this.current && this.current.workerId !== workerId) return; // someone already did
    this.reregistering ??= this.register(signal)
      .then((reg) =>
        this.o.log(`the scheduler had forgotten worker ${workerId}; registered again as ${reg.workerId}`),
      )
      .finally(() => (this.reregistering = null));
    await this.reregistering;
  }

  /** Calls `listener` after every later registration (the push channel authenticates again with it). */
  onRegistered(listener: (reg: RegisterWorkerResponse) => void): () => void {
    this.registered.add(listener);
    return () => this.registered.delete(listener);
  }

  /** The worker is going away: registrations still retrying give up. */
  close(): void {
    this.closed.abort();
  }

  /** Any answer from the scheduler, even a refusal, shows it is reachable. */
  noteAnswer(): void {
    if (this.unreachableSince === null) return;
    const seconds = ((Date.now() - this.unreachableSince) / 1000).toFixed(1);
    this.unreachableSince = null;
    this.o.log(`scheduler reachable again after ${seconds} s; sending what was queued`);
  }

  /** A transient failure (connection refused or reset, 503, 500): logged once per outage. */
  noteFailure(err: unknown): void {
    if (this.unreachableSince !== null) return;
    this.unreachableSince = Date.now();
    this.o.log(
      `scheduler unreachable (${describe(err)}); retrying with backoff (running trials keep training)`,
    );
  }

  /** Sorts a failed call: true when it was transient (noted), false when the scheduler answered. */
  sortFailure(err: unknown): boolean {
    if (isTransientError(err)) {
      this.noteFailure(err);
      return true;
    }
    if (err instanceof ApiError) this.noteAnswer();
    return false;
  }
}

export function isWorkerNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === ErrorCode.WorkerNotFound;
}

function registrationError(err: unknown, apiUrl: string): Error {
  if (err instanceof ApiError && err.code === ErrorCode.Unauthorized) {
    return new Error(
      `The scheduler at ${apiUrl} refused the worker token: set ABLATE_WORKER_TOKEN to the scheduler's (${err.message})`,
    );
  }
  return new Error(`Could not register with the scheduler at ${apiUrl}: ${describe(err)}`);
}

export function describe(err: unknown): string {
  if (err instanceof Error && err.message === 'fetch failed' && err.cause instanceof Error)
    return `${err.message}: ${err.cause.message}`;
  return err instanceof Error ? err.message : String(err);
}
