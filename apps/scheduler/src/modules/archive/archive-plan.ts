import {
  ApiError,
  ArchivedSweep,
  ErrorCode,
  SweepArchive,
  SweepSpec,
  findUnstorableText,
  toValidationIssues,
  type ArchivedTrial,
  type TrialStatus,
  type ValidationIssue,
} from '@ablate/contracts';

/** What an import stores: the sweep as archived (under `project`), its trials with live ones requeued. */
export interface ImportPlan {
  project: string;
  spec: SweepSpec;
  sweep: Pick<ArchivedSweep, 'status' | 'createdAt' | 'updatedAt' | 'finishedAt'>;
  trials: ArchivedTrial[];
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
  const { status, createdAt, updatedAt, finishedAt } = archive.sweep;
  return {
    project,
    spec: { ...spec.data, project },
    sweep: { status, createdAt, updatedAt, finishedAt },
    trials: archive.trials.map((t) => requeued(t, now)),
  };
}

const LIVE: readonly TrialStatus[] = ['queued', 'leased', 'running'];

/**
 * A trial that had not finished comes back queued and starts over: its checkpoint stayed with the
 * installation it was exported from, and a rerun's reports would collide with a partial curve (the
 * stored points of a step win), so the partial progress is left out. Attempts are kept.
 */
export function requeued(t: ArchivedTrial, now: Date): ArchivedTrial {
  if (!LIVE.includes(t.status)) return t;
  const fresh: ArchivedTrial = { ...t, status: 'queued', step: null, metrics: {}, score: null, backend: null, startedAt: null, finishedAt: null, points: [] };
  const unchanged =
    t.status === 'queued' && t.step === null && Object.keys(t.metrics).length === 0 && t.score === null && t.backend === null && t.startedAt === null && t.finishedAt === null && t.points.length === 0;
  return unchanged ? t : { ...fresh, updatedAt: now.toISOString() };
}
