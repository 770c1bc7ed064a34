'use client';

import { useSyncExternalStore } from 'react';
import { chooseTheme, currentTheme, subscribeToTheme, type Theme } from './theme-script';
import styles from './theme-toggle.module.css';

// Unknown on the server: the label appears once the browser says which theme is in effect.
const serverTheme = (): Theme | null => null;

/** Switches between the light and dark themes and remembers the choice in this browser. */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribeToTheme, currentTheme, serverTheme);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className={styles.toggle}
      data-testid="theme-toggle"
      data-theme-now={theme ?? ''}
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme`}
      onClick={() => chooseTheme(next)}
    >
      <span aria-hidden>{theme === 'dark' ? '☀' : '☾'}</span> {theme === null ? 'Theme' : next === 'dark' ? 'Dark' : 'Light'}
    </button>
  );
}
