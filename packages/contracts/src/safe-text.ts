import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longest string the API echoes back inside an error message (ids, names). */
const ECHO_LIMIT = 80;

/**
 * Why PostgreSQL (and so the API) cannot store `s` as text, or null when it can. PostgreSQL's
 * `text` and `jsonb` refuse NUL, and a lone UTF-16 surrogate has no UTF-8 encoding.
 */
export function unstorableTextReason(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate (invalid Unicode), which cannot be stored';
  return null;
}

/** A zod string PostgreSQL can store: no NUL, well-formed Unicode. Use for every free-text field. */
export function safeText(): z.ZodString {
  return z.string().superRefine((s, ctx) => {
    const reason = unstorableTextReason(s);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });
}

/**
 * The first string (value or object key) anywhere in a JSON value that PostgreSQL cannot store, with
 * its dotted path, or null. Guards every request body before it reaches a schema or the database.
 */
export function findUnstorableText(value: unknown, path: string[] = [], depth = 0): { path: string; message: string } | null {
  if (depth > 64) return { path: path.join('.') || '(root)', message: 'is nested more than 64 levels deep' };
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    return reason ? { path: path.join('.') || '(root)', message: reason } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, String(i)], depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const keyReason = unstorableTextReason(key);
      if (keyReason) return { path: [...path, '(key)'].join('.'), message: `a key ${keyReason}` };
      const found = findUnstorableText(v, [...path, key], depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** `s` shortened for an error message, so a huge or hostile input is never echoed back whole. */
export function echo(s: string): string {
  // Control characters would garble a log line or a terminal; the pattern matches them on purpose.
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length <= ECHO_LIMIT ? clean : `${clean.slice(0, ECHO_LIMIT)}… (${s.length} characters)`;
}
