/** `s` as text PostgreSQL can store: NUL becomes `?`, a lone UTF-16 surrogate becomes U+FFFD. */
export function scrubText(s: string): string {
  return s.replaceAll('\0', '?').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
