import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { TopNav } from '@/modules/shared/nav/top-nav';
import { themeBootScript } from '@/modules/shared/theme/theme-script';
import './globals.css';

export const metadata: Metadata = {
  title: 'Ablate',
  description: 'Launch deep-learning sweeps and watch the leaderboard fill live.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  // suppressHydrationWarning: the boot script sets data-theme on <html> before React hydrates.
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      </head>
      <body>
        <TopNav />
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
