'use client';

import { useEffect, useState } from 'react';
import { chooseTheme, currentTheme, type Theme } from './theme-script';
import styles from './theme-toggle.module.css';

/** Switches between the light and dark themes and remembers the choice in this browser. */
export function ThemeToggle() {
  // Unknown on the server: the label appears once the browser says which theme is in effect.
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    setTheme(currentTheme());
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => setTheme(currentTheme());
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className={styles.toggle}
      data-testid="theme-toggle"
      data-theme-now={theme ?? ''}
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme`}
      onClick={() => {
        chooseTheme(next);
        setTheme(next);
      }}
    >
      <span aria-hidden>{theme === 'dark' ? '☀' : '☾'}</span> {theme === null ? 'Theme' : next === 'dark' ? 'Dark' : 'Light'}
    </button>
  );
}
