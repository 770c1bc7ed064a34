/** The localStorage key of the theme the user chose with the toggle ('light' or 'dark'). */
export const THEME_STORAGE_KEY = 'ablate-theme';

export type Theme = 'light' | 'dark';

/**
 * Runs inline in <head> before the first paint, so a stored choice is applied before anything is
 * drawn (no flash of the other theme). Without a stored choice nothing is set and the CSS follows
 * prefers-color-scheme. localStorage can throw (privacy modes): then the system theme stays.
 */
export const themeBootScript = `(function(){try{var t=localStorage.getItem('${THEME_STORAGE_KEY}');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t;}catch(e){}})();`;

/** The theme in effect now: the stored choice, or the system's. */
export function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const CHANGED = 'ablate-theme-changed';

/** Calls back when the theme in effect may have changed (a choice here, or the system's). */
export function subscribeToTheme(onChange: () => void): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    media.removeEventListener('change', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

/** Applies and remembers the user's choice. */
export function chooseTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  window.dispatchEvent(new Event(CHANGED));
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Not stored (privacy mode): the choice holds for this page only.
  }
}
