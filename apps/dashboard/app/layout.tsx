import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Ablate',
  description: 'Launch deep-learning sweeps and watch the leaderboard fill live.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            Ablate
          </Link>
          <span className="muted">experiment sweeps, ranked live</span>
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
