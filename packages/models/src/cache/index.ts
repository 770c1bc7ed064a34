/**
 * The worker's caches (downloaded models, decoded images, extracted features): listing, clearing and
 * the size bound. Free of TF.js, so `ablate cache` starts quickly: imported as `@ablate/models/cache`.
 */
export { CACHE_KINDS, cacheKindDir, parseCacheKind, type CacheKind } from './cache-kinds.js';
export { listCacheEntries, type CacheEntry } from './cache-entries.js';
export { boundCacheKind, removeCacheEntry, type BoundOptions, type RemoveOutcome } from './cache-evict.js';
export { removeCacheEntries, scanCache, selectCacheEntries, type CacheKindReport, type ClearFilter } from './cache-scan.js';
export { cacheMaxBytes, DEFAULT_CACHE_MAX_GB, formatBytes, parseAge } from './cache-settings.js';
export { markCacheUse } from './cache-use.js';
export { CacheUsageError } from './cache-usage-error.js';
