/** What a worker hands to `runTrial`. */
export interface RunTrialOptions {
  /** Template name, e.g. `mnist-cnn` (see `@ablate/contracts` templates). */
  template: string;
  /** Template params, validated by the template's schema (defaults filled in). */
  params: Record<string, unknown>;
  /**
   * Called after every epoch with the epoch number (from 1) and its metrics; awaited before training
   * goes on. On a resume from a checkpoint, the checkpointed epochs after `resumeAfterStep` are
   * reported again first (all of them when it is null or not given), so a consumer that missed
   * some reports gets the whole curve; a repeated report must change nothing.
   */
  onEpoch?: (step: number, metrics: Record<string, number>) => void | Promise<void>;
  /** Last step the consumer of `onEpoch` already holds (the scheduler's `resumeAfterStep`), or null for none. */
  resumeAfterStep?: number | null;
  /** Aborting stops training after the current batch and rejects with an AbortError. */
  signal?: AbortSignal;
  /** Folder for this trial's checkpoints; when it holds one, training resumes from it. */
  checkpointDir?: string;
  /** Dataset cache folder (defaults to `ABLATE_DATA_DIR` or `~/.cache/ablate`). */
  dataDir?: string;
  /**
   * Folders that path params (`imageFolder`, `csvPath`, a local `extractor`) must lie in; relative
   * paths resolve against the first. Default: `ABLATE_DATA_ROOTS`, else the dataset cache folder and
   * `<cwd>/datasets` (see `resolveDataRoots`).
   */
  dataRoots?: readonly string[];
  /**
   * The sweep's ranking metric. Training keeps the weights of its best epoch and measures the final
   * metrics (test_acc) on them; a metric the template does not report per epoch (test_acc itself)
   * falls back to the template's validation metric. Default: `val_acc` (classification) or `val_mse`.
   */
  objective?: { name: string; goal: 'minimize' | 'maximize' };
  /** Progress lines (dataset downloads, epochs) for logs. */
  log?: (line: string) => void;
}

/** What `runTrial` returns once training and evaluation finish. */
export interface RunTrialResult {
  /** Last epoch run. */
  step: number;
  /** Epoch whose weights the final metrics were measured on: the best by the objective (`step` when training kept the last). */
  scoreStep?: number;
  /** Final metrics (e.g. `test_acc`), reported as the trial's completion. */
  metrics: Record<string, number>;
  /** Backend that trained it (`tensorflow`, `wasm`, `cpu`, ...). */
  backend: string;
}
