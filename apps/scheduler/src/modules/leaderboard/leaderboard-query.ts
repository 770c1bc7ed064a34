import {
  ApiError,
  ErrorCode,
  LeaderboardQuery,
  TrialStatus,
  didYouMean,
  echo,
  templates,
  toValidationIssues,
  type ValidationIssue,
} from '@ablate/contracts';
import type { Goal } from '@ablate/contracts';

/** How a page is ordered: best first (`rank`), or by another column with rank as the tie-break. */
export type LeaderboardSort =
  | { kind: 'rank' }
  | { kind: 'index' }
  | { kind: 'status' }
  | { kind: 'updated' }
  | { kind: 'metric'; name: string; goal: Goal };

/** A validated leaderboard request, ready for SQL. */
export interface LeaderboardRequest {
  offset: number;
  limit: number;
  sort: LeaderboardSort;
  /** Only trials in these statuses; null for all. */
  statuses: TrialStatus[] | null;
  group: 'trial' | 'config';
  /** Only the runs of this configuration (its `configurationKey`); null for all. */
  config: string | null;
}

const SORTS = ['rank', 'index', 'status', 'updated', 'metric:<name>'];
const CONFIG_SORTS = ['rank', 'index'];

/**
 * Validates `GET /api/sweeps/:id/leaderboard`'s query against the contract and the sweep's
 * template (for `metric:<name>`), and reports every problem at once, each with its parameter.
 */
export function parseLeaderboardQuery(raw: unknown, template: string): LeaderboardRequest {
  const input: Record<string, unknown> = typeof raw === 'object' && raw !== null ? { ...raw } : {};
  const issues = unknownParams(input);
  const parsed = LeaderboardQuery.safeParse(input);
  if (!parsed.success) issues.push(...toValidationIssues(parsed.error));
  // The checks below also run when the schema refused another parameter, so every mistake is named at once.
  const text = (key: string) => (typeof input[key] === 'string' ? input[key] : undefined);
  const sortText = parsed.success ? parsed.data.sort : (text('sort') ?? 'rank');
  const sort = parseSort(sortText, template, issues);
  const group = parsed.success ? parsed.data.group : text('group');
  if (group === 'config' && sort && !CONFIG_SORTS.includes(sort.kind)) {
    issues.push({ path: 'sort', message: `group=config sorts by ${CONFIG_SORTS.join(' or ')} (got "${echo(sortText)}")` });
  }
  const statusText = text('status');
  const statuses = statusText === undefined ? null : parseStatuses(statusText, issues);
  const configText = text('config');
  const config = configText === undefined ? null : parseConfigKey(configText, issues);
  if (!parsed.success || issues.length > 0 || !sort) throw invalid(issues);
  const q = parsed.data;
  return { offset: q.offset, limit: q.limit, sort, statuses, group: q.group, config };
}

/** A misspelt parameter would otherwise be ignored silently (`?sorting=index` ranking by rank). */
function unknownParams(input: object): ValidationIssue[] {
  const known = Object.keys(LeaderboardQuery.shape);
  return Object.keys(input)
    .filter((key) => !known.includes(key))
    .map((key) => ({ path: echo(key), message: `unknown query parameter${didYouMean(key, known)}; the leaderboard takes ${known.join(', ')}` }));
}

function parseSort(text: string, template: string, issues: ValidationIssue[]): LeaderboardSort | null {
  if (text === 'rank' || text === 'index' || text === 'status' || text === 'updated') return { kind: text };
  if (text.startsWith('metric:')) {
    const name = text.slice('metric:'.length);
    const metrics = templateMetrics(template);
    const metric = metrics.find((m) => m.name === name);
    if (metric) return { kind: 'metric', name, goal: metric.goal };
    const names = metrics.map((m) => m.name);
    issues.push({
      path: 'sort',
      message: `template ${template} reports no metric "${echo(name)}"${didYouMean(name, names)}; sort by ${names.map((n) => `metric:${n}`).join(', ')}`,
    });
    return null;
  }
  issues.push({ path: 'sort', message: `sort must be one of ${SORTS.join(', ')} (got "${echo(text)}")${didYouMean(text, SORTS.slice(0, 4))}` });
  return null;
}

function parseStatuses(text: string, issues: ValidationIssue[]): TrialStatus[] {
  const known = TrialStatus.options;
  const statuses: TrialStatus[] = [];
  for (const token of text.split(',').map((s) => s.trim())) {
    const status = known.find((s) => s === token);
    if (status) statuses.push(status);
    else issues.push({ path: 'status', message: `unknown status "${echo(token)}"${didYouMean(token, known)}; statuses are ${known.join(', ')}` });
  }
  return statuses;
}

/** A configuration key is `configurationKey(params)`: a JSON list of `[name, value]` pairs. */
function parseConfigKey(text: string, issues: ValidationIssue[]): string | null {
  let pairs: unknown;
  try {
    pairs = JSON.parse(text);
  } catch {
    pairs = null;
  }
  const valid = Array.isArray(pairs) && pairs.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && p[0] !== 'seed');
  if (!valid) {
    issues.push({ path: 'config', message: 'config must be the `key` of a group=config row (a JSON list of [param, value] pairs, without seed)' });
    return null;
  }
  return text;
}

function templateMetrics(template: string): readonly { name: string; goal: Goal }[] {
  return (templates as Record<string, { metrics: readonly { name: string; goal: Goal }[] } | undefined>)[template]?.metrics ?? [];
}

function invalid(issues: ValidationIssue[]): ApiError {
  const first = issues[0];
  const detail = first ? ` ${echo(first.path)}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more, see issues)` : ''}` : '';
  return new ApiError(ErrorCode.ValidationFailed, `The leaderboard query is invalid.${detail}`, issues);
}
