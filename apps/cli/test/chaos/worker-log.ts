/**
 * Reads what a worker did from its log: the worker prefixes every trial line with
 * `trial <id> (<template>, attempt <n>): `, and the training loop logs `epoch k/E ...` after the
 * checkpoint of epoch k is written and `resumed from checkpoint at epoch N` when it resumes.
 */

/** One attempt of one trial on one worker process. */
export interface TrialRun {
  worker: string;
  trialId: string;
  attempt: number;
  /** Epoch of the checkpoint this run resumed from, or null when it started fresh. */
  resumedAt: number | null;
  /** Epochs this run trained (from the training loop's `epoch k/E` lines), in order. */
  trained: number[];
  /** How the run ended as far as the log says; `cut` when the log stops (the process was killed). */
  outcome: 'completed' | 'failed' | 'abandoned' | 'stopped' | 'released' | 'cut';
  /** The run's last few lines, for messages. */
  lastLines: string[];
}

const TRIAL_LINE = /^trial ([0-9a-f-]{36}) \([^,]+, attempt (\d+)\): (.*)$/;
const ENDINGS: [RegExp, TrialRun['outcome']][] = [
  [/^completed\b/, 'completed'],
  [/^failed\b/, 'failed'],
  [/^abandoned\b/, 'abandoned'],
  [/^stopped\b/, 'stopped'],
  [/^released\b/, 'released'],
];

/** Every trial run in one worker's log, in the order they started. */
export function parseWorkerLog(worker: string, text: string): TrialRun[] {
  const runs: TrialRun[] = [];
  const open = new Map<string, TrialRun>();
  for (const line of text.split('\n')) {
    const m = TRIAL_LINE.exec(line.trim());
    if (!m) continue;
    const [, trialId, attemptText, message] = m as unknown as [string, string, string, string];
    const key = `${trialId}#${attemptText}`;
    let run = open.get(key);
    if (!run || /^started\b/.test(message)) {
      run = {
        worker,
        trialId,
        attempt: Number(attemptText),
        resumedAt: null,
        trained: [],
        outcome: 'cut',
        lastLines: [],
      };
      runs.push(run);
      open.set(key, run);
    }
    run.lastLines = [...run.lastLines.slice(-5), line.trim()];
    const resumed = /resumed from checkpoint at epoch (\d+)/.exec(message);
    if (resumed) run.resumedAt = Number(resumed[1]);
    const epoch = /^epoch (\d+)\/\d+ /.exec(message);
    if (epoch) run.trained.push(Number(epoch[1]));
    const ending = ENDINGS.find(([re]) => re.test(message));
    if (ending) run.outcome = ending[1];
  }
  return runs;
}

/**
 * Runs of every worker, grouped by trial and ordered by attempt; within one attempt (a trial
 * handed back without a retry, e.g. by the outbox of a killed agent: the next run keeps the
 * attempt number) a fresh run before resumed ones, and those by the epoch they resumed at: a run
 * resumes from what an earlier one trained.
 */
export function runsByTrial(logs: { worker: string; text: string }[]): Map<string, TrialRun[]> {
  const byTrial = new Map<string, TrialRun[]>();
  for (const { worker, text } of logs) {
    for (const run of parseWorkerLog(worker, text)) {
      const list = byTrial.get(run.trialId) ?? [];
      list.push(run);
      byTrial.set(run.trialId, list);
    }
  }
  for (const list of byTrial.values()) list.sort((a, b) => a.attempt - b.attempt || (a.resumedAt ?? -1) - (b.resumedAt ?? -1));
  return byTrial;
}

/** One line per run: `attempt 2 on worker-4: resumed at 3, trained 4,5, completed`. */
export function describeRuns(runs: TrialRun[]): string {
  return runs
    .map(
      (r) =>
        `attempt ${r.attempt} on ${r.worker}: ${r.resumedAt === null ? 'fresh' : `resumed at ${r.resumedAt}`}, trained [${r.trained.join(',')}], ${r.outcome}`,
    )
    .join('; ');
}
