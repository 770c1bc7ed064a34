/** A cache setting or option written wrongly (`--older-than 3x`, `ABLATE_CACHE_MAX_GB=lots`); the message says what to write. */
export class CacheUsageError extends Error {
  override readonly name = 'CacheUsageError';
}
