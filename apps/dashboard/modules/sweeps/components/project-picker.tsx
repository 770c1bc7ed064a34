'use client';

import { useRouter } from 'next/navigation';
import { listPageHref } from '../lib/sweep-list';
import styles from './project-picker.module.css';

/** Shows one project's sweeps, or every project's. */
export function ProjectPicker({ projects, current }: { projects: { slug: string; sweeps: number }[]; current: string | null }) {
  const router = useRouter();
  const total = projects.reduce((n, p) => n + p.sweeps, 0);
  return (
    <span className={styles.picker}>
      <label htmlFor="project-picker">Project</label>
      <select id="project-picker" value={current ?? ''} onChange={(e) => router.push(listPageHref({ page: 1, project: e.target.value || null }))}>
        <option value="">all projects ({total})</option>
        {projects.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.slug} ({p.sweeps})
          </option>
        ))}
      </select>
    </span>
  );
}
