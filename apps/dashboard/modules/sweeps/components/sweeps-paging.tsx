import Link from 'next/link';
import { listPageHref, pageRange, SWEEPS_PAGE_SIZE, type SweepListPage } from '../lib/sweep-list';
import styles from './sweeps-paging.module.css';

/** `101–200 of 210` with links to the previous and next page. */
export function SweepsPaging({ where, shown, total }: { where: SweepListPage; shown: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / SWEEPS_PAGE_SIZE));
  if (pages === 1) return null;
  return (
    <nav className={styles.paging} aria-label="Pages of sweeps" data-testid="sweeps-paging">
      {where.page > 1 ? <Link href={listPageHref({ ...where, page: where.page - 1 })} rel="prev">← Newer</Link> : <span className={styles.off}>← Newer</span>}
      <span>
        {pageRange(where.page, shown, total)} · page {where.page} of {pages}
      </span>
      {where.page < pages ? <Link href={listPageHref({ ...where, page: where.page + 1 })} rel="next">Older →</Link> : <span className={styles.off}>Older →</span>}
    </nav>
  );
}
