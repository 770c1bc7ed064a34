/** A data file that is missing, truncated or corrupt: the message names the file and what is wrong. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';

  constructor(
    /** The file or folder at fault. */
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
