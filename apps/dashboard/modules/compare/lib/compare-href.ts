/** Most trials one comparison shows: beyond 8, overlaid curves stop being readable (and the palette repeats). */
export const MAX_COMPARED_TRIALS = 8;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The compare page for these trials: `/compare?trials=<id>,<id>,...` (order kept: it is the legend's order). */
export function compareHref(trialIds: readonly string[]): string {
  return `/compare?trials=${trialIds.map(encodeURIComponent).join(',')}`;
}

/** The trial ids of a `trials` query value (comma-separated, possibly repeated): uuids only, each once, at most `MAX_COMPARED_TRIALS`. */
export function parseCompareIds(value: string | string[] | undefined): { ids: string[]; dropped: string[] } {
  const raw = (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  const ids: string[] = [];
  const dropped: string[] = [];
  for (const id of raw) {
    if (!UUID.test(id) || ids.length >= MAX_COMPARED_TRIALS) dropped.push(id);
    else if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
  }
  return { ids, dropped };
}
