'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ThemeToggle } from '../theme/theme-toggle';
import styles from './top-nav.module.css';

const LINKS = [
  { href: '/', label: 'Sweeps' },
  { href: '/sweeps/new', label: 'New sweep' },
  { href: '/workers', label: 'Workers' },
] as const;

/** Which nav link the current page belongs to: /sweeps/<id> is under Sweeps, /sweeps/new is not. */
export function activeLink(pathname: string): string {
  if (pathname.startsWith('/sweeps/new')) return '/sweeps/new';
  if (pathname.startsWith('/workers')) return '/workers';
  return '/';
}

/** The top bar on every page: brand, the main pages, the theme toggle. */
export function TopNav() {
  const active = activeLink(usePathname() ?? '/');
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        Ablate
      </Link>
      <nav aria-label="Main" className={styles.links}>
        {LINKS.map((link) => (
          <Link key={link.href} href={link.href} className={styles.link} aria-current={link.href === active ? 'page' : undefined}>
            {link.label}
          </Link>
        ))}
      </nav>
      <span className={styles.spacer} />
      <ThemeToggle />
    </header>
  );
}
