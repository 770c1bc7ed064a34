import { utimes } from 'node:fs/promises';

/**
 * Records a use of a cache entry by setting its mtime to now. Last use is the mtime, not the atime:
 * most laptops and servers mount with `relatime` or `noatime`, where a read does not move the atime
 * (or moves it once a day), while an explicit utimes always sets the mtime. Nothing else reads these
 * entries' mtimes (the decode key uses the source images' times, the model check uses sha256), so
 * moving it is harmless. Best effort: a read-only or vanished entry is used all the same.
 */
export async function markCacheUse(path: string, now = new Date()): Promise<void> {
  await utimes(path, now, now).catch(() => undefined);
}
