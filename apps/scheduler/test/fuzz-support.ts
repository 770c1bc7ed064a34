/**
 * Shared pieces of the fuzz tests: seeded runs, hostile values, mutations of valid bodies, and the
 * checks every answer must pass. A failing property prints its seed and path; replay it with
 * FUZZ_SEED=<seed>. FUZZ_SCALE=10 runs ten times as many cases.
 */
import { ApiErrorBody, errorHttpStatus } from '@ablate/contracts';
import fc from 'fast-check';
import pg from 'pg';
import { expect } from 'vitest';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
export const runs = (n: number): fc.Parameters<unknown> => ({ seed: FUZZ_SEED, numRuns: Math.ceil(n * Number(process.env.FUZZ_SCALE ?? 1)) });

/** Strings PostgreSQL cannot store, ids too long to echo, and other classics of bad input. */
export const NASTY_STRINGS = ['', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDFFF', '\uDBFF\uDFFF', '\uFFFF', '%00', '%', '..', '\u202E', '__proto__', 'constructor', "'; DROP TABLE sweeps; --", 'x'.repeat(10_000)];
/** Numbers at and past every bound the API knows: int32, MAX_STEP, float32, doubles. */
export const NASTY_NUMBERS = [2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, 100_000_001, 3.5e38, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, -0, 0.5, -1];

export const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 16 }), fc.constantFrom(...NASTY_STRINGS));
export const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(...NASTY_NUMBERS));

/** Nested arrays or objects `depth` levels deep. */
export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

export const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    fc.constantFrom(nested(70, 'array'), nested(70, 'object'), nested(1000, 'array')),
  ),
}));

function pathsOf(v: unknown, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  return [prefix, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...prefix, k]))];
}

function mutate(original: unknown, path: string[], replacement: unknown, how: 'replace' | 'delete' | 'add'): unknown {
  if (path.length === 0) return how === 'replace' ? replacement : structuredClone(original);
  const copy = structuredClone(original) as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
  const key = path.at(-1)!;
  if (how === 'replace') parent[key] = replacement;
  if (how === 'delete') delete parent[key];
  if (how === 'add') parent[`${key}_extra`] = replacement;
  return copy;
}

/** `original` with one field (at any depth) replaced by a hostile value, removed, or a stray key added. */
export function mutation(original: unknown): fc.Arbitrary<unknown> {
  const how = fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'replace', 'delete', 'add');
  return fc.tuple(fc.constantFrom(...pathsOf(original)), value, how).map(([p, v, h]) => mutate(original, p, v, h));
}

/** A path segment as a client could send it, lone surrogates included (as WTF-8 bytes, which is not UTF-8). */
export function encodeSegment(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    else out += encodeURIComponent(ch);
  }
  return out.toUpperCase();
}

export interface Answer {
  status: number;
  body: unknown;
}

/** One HTTP call that must answer: a hang fails the case instead of the whole file. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const raw = await res.text();
  let body: unknown = raw;
  try {
    body = raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    // left as text; expectAnswer says so when it had to be an error body
  }
  return { status: res.status, body };
}

/** Never a 5xx; every 4xx is an ApiErrorBody whose code matches the status, with a message. */
export function expectAnswer(answer: Answer, what: string): void {
  expect(answer.status, `${what} → ${JSON.stringify(answer.body)?.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status < 400) return;
  const parsed = ApiErrorBody.safeParse(answer.body);
  expect(parsed.success, `${what}: ${answer.status} without an error body: ${String(answer.body).slice(0, 200)}`).toBe(true);
  if (!parsed.success) return;
  expect(errorHttpStatus[parsed.data.code], `${what}: code ${parsed.data.code} with status ${answer.status}`).toBe(answer.status);
  expect(parsed.data.message.length).toBeGreaterThan(0);
  expect(JSON.stringify(answer.body).length, `${what}: the error echoes too much`).toBeLessThan(8_000);
}

/** Tallies answers by status, to print how the generated cases spread (a fuzz that only ever hits one 400 proves little). */
export class Tally {
  private readonly counts = new Map<string, Map<number, number>>();
  add(group: string, status: number): void {
    const byStatus = this.counts.get(group) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.counts.set(group, byStatus);
  }
  toString(): string {
    return [...this.counts].map(([group, byStatus]) => `${group}: ${[...byStatus].sort(([a], [b]) => a - b).map(([st, n]) => `${st}×${n}`).join(' ')}`).join('\n');
  }
}

/** Row counts of every table a request could write; compared before and after refused calls. */
export async function rowCounts(db: pg.Client): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM sweeps) AS sweeps, (SELECT count(*) FROM trials) AS trials,
            (SELECT count(*) FROM metric_points) AS metric_points, (SELECT count(*) FROM workers) AS workers`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

/** Collects what the process writes to stdout and stderr, to check that no stack trace was logged. */
export function watchOutput(): { lines: () => string[]; stackTraces: () => string[]; stop: () => void } {
  const seen: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write.bind(stream);
    const forward = original as (...args: unknown[]) => boolean;
    const spy = (chunk: unknown, ...rest: unknown[]): boolean => {
      seen.push(String(chunk));
      return forward(chunk, ...rest);
    };
    stream.write = spy;
    return () => (stream.write = original);
  });
  return {
    lines: () => seen.flatMap((s) => s.split('\n')).filter(Boolean),
    stackTraces: () => seen.filter((s) => /\n\s+at .+:\d+:\d+/.test(s)),
    stop: () => spies.forEach((restore) => restore()),
  };
}
