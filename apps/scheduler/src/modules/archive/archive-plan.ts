import {
  ApiError,
  ArchivedSweep,
  ErrorCode,
  SweepArchive,
  SweepSpec,
  findUnstorableText,
  toValidationIssues,
  type ArchivedEvent,
  type ArchivedTrial,
  type TrialStatus,
  type ValidationIssue,
} from '@ablate/contracts';
import { SweepSearch, type SearchState } from '../search/index.js';

/** What an import stores: the sweep as archived (under `project`), its trials with live ones requeued, its events. */
export interface ImportPlan {
  project: string;
  spec: SweepSpec;
  sweep: Pick<ArchivedSweep, 'status' | 'createdAt' | 'updatedAt' | 'finishedAt' | 'reason' | 'launchedBy'>;
  /** Where its search continues: state, budget and the trials the budget makes in all. */
  search: { state: SearchState | null; maxTrials: number | null; trialBudget: number };
  trials: ArchivedTrial[];
  events: ArchivedEvent[];
}

/** A broken archive can fail on every one of its points; the first ones say what is wrong. */
const MAX_ISSUES = 50;

function invalid(issues: ValidationIssue[]): ApiError {
  const shown = issues.slice(0, MAX_ISSUES);
  const more = issues.length > shown.length ? ` (the first ${shown.length} of ${issues.length} problems are listed)` : '';
  return new ApiError(ErrorCode.ValidationFailed, `The archive is invalid${more}; send a file \`ablate sweep export\` wrote.`, shown);
}

/**
 * Checks a raw archive (and the `project` query parameter) and plans its import. Throws
 * `validation_failed` naming each failing field; nothing is stored unless this returns.
 */
export function planImport(raw: unknown, projectParam: unknown, now: Date): ImportPlan {
  const unstorable = findUnstorableText(raw);
  if (unstorable) throw invalid([unstorable]);
  const parsed = SweepArchive.safeParse(raw);
  if (!parsed.success) throw invalid(toValidationIssues(parsed.error));
  const archive = parsed.data;
  const spec = SweepSpec.safeParse(archive.sweep.spec);
  if (!spec.success) throw invalid(toValidationIssues(spec.error, ['sweep', 'spec']));
  let project = archive.sweep.project;
  if (projectParam !== undefined) {
    const slug = ArchivedSweep.shape.project.safeParse(projectParam);
    if (!slug.success) throw invalid(toValidationIssues(slug.error, ['project']));
    project = slug.data;
  }
  const { status, createdAt, updatedAt, finishedAt, reason, launchedBy } = archive.sweep;
  return {
    project,
    spec: { ...spec.data, project },
    sweep: { status, createdAt, updatedAt, finishedAt, reason, launchedBy },
    search: searchOf(spec.data, archive),
    trials: archive.trials.map((t) => requeued(t, now)),
    events: archive.events,
  };
}

/**
 * The search state to continue from. A version 1 archive has none: a grid's is the number of its
 * trials (they were all created at once); random and TPE start from their seed.
 */
function searchOf(spec: SweepSpec, archive: SweepArchive): ImportPlan['search'] {
  const maxTrials = archive.sweep.maxTrials ?? spec.maxTrials ?? null;
  const state = archive.sweep.searchState ?? (spec.method === 'grid' ? { proposed: archive.trials.length, rng: [] } : null);
  return { state, maxTrials, trialBudget: new SweepSearch(spec).budget(maxTrials ?? undefined) };
}

/** Trials that had not finished (or waited at an ASHA rung, whose checkpoint stayed behind). */
const LIVE: readonly TrialStatus[] = ['queued', 'leased', 'running', 'paused'];

/**
 * A trial that had not finished comes back queued and starts over: its checkpoint stayed with the
 * installation it was exported from, and a rerun's reports would collide with a partial curve (the
 * stored points of a step win), so the partial progress is left out. Attempts are kept.
 */
export function requeued(t: ArchivedTrial, now: Date): ArchivedTrial {
  if (!LIVE.includes(t.status)) return t;
  const fresh: ArchivedTrial = { ...t, status: 'queued', step: null, metrics: {}, score: null, scoreStep: null, backend: null, statusReason: null, startedAt: null, finishedAt: null, points: [] };
  const unchanged =
    t.status === 'queued' && t.statusReason === null && t.step === null && Object.keys(t.metrics).length === 0 && t.score === null && t.scoreStep === null && t.backend === null && t.startedAt === null && t.finishedAt === null && t.points.length === 0;
  return unchanged ? t : { ...fresh, updatedAt: now.toISOString() };
}
