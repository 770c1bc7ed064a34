import type { SweepSummary } from '@ablate/contracts';

/** Sweeps per page of `/`; the list endpoint gives at most 200. */
export const SWEEPS_PAGE_SIZE = 100;

/** Which page of the list is shown, from the URL (`?page=2&project=course`). */
export interface SweepListPage {
  /** 1-based. */
  page: number;
  /** Only this project's sweeps, or null for all. */
  project: string | null;
}

/** Reads `?page=` and `?project=`; anything unusable means the first page of every project. */
export function readListPage(query: { page?: string | string[]; project?: string | string[] }): SweepListPage {
  const page = Number(typeof query.page === 'string' ? query.page : '1');
  const project = typeof query.project === 'string' && query.project !== '' ? query.project : null;
  return { page: Number.isInteger(page) && page >= 1 ? page : 1, project };
}

/** The URL of another page of the same list. */
export function listPageHref({ page, project }: SweepListPage): string {
  const query = new URLSearchParams();
  if (project) query.set('project', project);
  if (page > 1) query.set('page', String(page));
  const qs = query.toString();
  return qs ? `/?${qs}` : '/';
}

/**
 * A live `sweep:updated` applied to the page shown: updated in place (keeping the best score,
 * which live updates do not carry); a new sweep is added only on the first page of its project.
 */
export function applySweepUpdate(sweeps: SweepSummary[], sweep: SweepSummary, where: SweepListPage): SweepSummary[] {
  const index = sweeps.findIndex((s) => s.id === sweep.id);
  if (index !== -1) return sweeps.map((s, i) => (i === index ? { ...sweep, best: sweep.best === undefined ? s.best : sweep.best } : s));
  if (where.page !== 1 || (where.project !== null && sweep.project !== where.project)) return sweeps;
  return [sweep, ...sweeps].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, SWEEPS_PAGE_SIZE);
}

/** The first and last row shown and the total, e.g. `101–200 of 210`. */
export function pageRange(page: number, shown: number, total: number): string {
  if (shown === 0) return `0 of ${total}`;
  const first = (page - 1) * SWEEPS_PAGE_SIZE + 1;
  return `${first}–${first + shown - 1} of ${total}`;
}
