import { ApiError, ErrorCode, echo } from '@ablate/contracts';

/** 404 for a trial id that names no trial (its own file: the trial-logs module uses it, and the trials service uses that module). */
export function trialNotFound(trialId: string): ApiError {
  return new ApiError(ErrorCode.TrialNotFound, `No trial with id "${echo(trialId)}".`);
}
