import type { ReactNode } from 'react';
import styles from './notice.module.css';

/** A box that says what state the page is in and what to do next (empty, waiting, broken). */
export function Notice({ tone = 'info', title, children, testId }: { tone?: 'info' | 'warn' | 'danger'; title: string; children?: ReactNode; testId?: string }) {
  return (
    <section className={`${styles.notice} ${styles[tone]}`} role={tone === 'danger' ? 'alert' : 'status'} data-testid={testId}>
      <h2 className={styles.title}>{title}</h2>
      {children}
    </section>
  );
}
