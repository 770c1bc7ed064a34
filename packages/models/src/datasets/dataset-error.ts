import type { TrialErrorCode } from '@ablate/contracts';

/** What is wrong with a data file, as the trial error code it maps to (`toTrialError`). */
export type DatasetProblem = Extract<TrialErrorCode, 'dataset_missing' | 'dataset_corrupt' | 'path_not_allowed' | 'invalid_params'>;

/** A data file that is missing, truncated or corrupt: the message names the file and what is wrong. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';

  constructor(
    /** The file or folder at fault. */
    readonly file: string,
    problem: string,
    /** Which kind of problem; the trial error code it is reported with. */
    readonly code: DatasetProblem = 'dataset_corrupt',
    /** Whether trying again may help (a failed download may; a corrupt file on disk does not). */
    readonly retryable = false,
  ) {
    super(`${file}: ${problem}`);
  }
}
