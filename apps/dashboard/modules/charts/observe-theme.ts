/**
 * Calls `onChange` when the page's theme may have changed: an attribute of <html> (the theme
 * toggle sets one, e.g. `data-theme`) or the system's colour scheme. Canvas charts read colours
 * once per draw, so they redraw on this. Returns the cleanup.
 */
export function observeTheme(onChange: () => void): () => void {
  const root = document.documentElement;
  const attributes = new MutationObserver(onChange);
  attributes.observe(root, { attributes: true, attributeFilter: ['class', 'data-theme', 'style'] });
  const scheme = window.matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', onChange);
  return () => {
    attributes.disconnect();
    scheme.removeEventListener('change', onChange);
  };
}
