import type { Goal, ParameterSpace, SweepSpec, SweepSpecInput, TemplateList, TemplateParam } from '@ablate/contracts';
import { initialKnob, knobFromSpace, knobGridSize, knobSpace, type KnobState } from './knob-form';
import { INITIAL_SEARCH, plannedTrials, searchSpec, type SearchFormValues } from './search-fields';

export type TemplateInfo = TemplateList['templates'][number];

/** The template the form opens on when the scheduler offers it: the course's first exercise. */
export const DEFAULT_TEMPLATE = 'mnist-cnn';

/**
 * A template's knobs as the scheduler describes them (GET /api/templates `params`). An older
 * scheduler lists defaults only: each is then typed by its default's type.
 */
export function templateParams(template: TemplateInfo): TemplateParam[] {
  if (template.params) return template.params;
  return Object.entries(template.defaults).map(([name, value]) => ({
    name,
    type: typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : 'string',
    ...(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? { default: value } : {}),
    required: false,
    description: null,
  }));
}

/** What the "New sweep" form edits. */
export interface SweepFormValues {
  name: string;
  project: string;
  template: string;
  /** Param name → how it is swept. */
  knobs: Record<string, KnobState>;
  metricName: string;
  goal: Goal;
  /** Method, seed, budget, repeats and pruner. */
  search: SearchFormValues;
  /** Fields of a cloned spec the form has no control for (maxConcurrent, resources, ...), kept as they were. */
  extra: Partial<SweepSpecInput>;
}

/** One-click presets: the course's dropout × batch-norm 2×2 grid. */
const PRESETS: Record<string, { name: string; values: Record<string, (number | boolean)[]> }> = {
  'mnist-cnn': { name: 'Dropout × batch norm', values: { dropout: [0, 0.5], batchNorm: [false, true] } },
};

/** The form as it opens for `template`: its defaults, with the preset's knobs on top. */
export function initialFormValues(template: TemplateInfo, current?: Pick<SweepFormValues, 'name' | 'project' | 'search'>): SweepFormValues {
  const preset = PRESETS[template.name];
  const knobs = Object.fromEntries(templateParams(template).map((p) => [p.name, initialKnob(p, preset?.values[p.name])]));
  const metric = preferredMetric(template);
  return {
    name: current?.name ?? preset?.name ?? `${template.name} sweep`,
    project: current?.project ?? 'default',
    template: template.name,
    knobs,
    metricName: metric?.name ?? '',
    goal: metric?.goal ?? 'maximize',
    search: current?.search ?? INITIAL_SEARCH,
    extra: {},
  };
}

/** Validation accuracy when the template has one: what a class compares runs by. */
function preferredMetric(template: TemplateInfo): TemplateInfo['metrics'][number] | undefined {
  const { metrics } = template;
  return metrics.find((m) => m.name.startsWith('val_') && m.goal === 'maximize') ?? metrics.find((m) => m.name.startsWith('val_')) ?? metrics[0];
}

/** The spec the form describes; the contract (and then the scheduler) validates it. */
export function buildSweepSpec(values: SweepFormValues, template: TemplateInfo | undefined): SweepSpecInput {
  const parameters: Record<string, ParameterSpace> = {};
  for (const param of template ? templateParams(template) : []) {
    const knob = values.knobs[param.name];
    const space = knob && knobSpace(param, knob);
    if (space) parameters[param.name] = space;
  }
  const { pruner: keptPruner, ...extra } = values.extra;
  const search = searchSpec(values.search);
  if (keptPruner && keptPruner.type === values.search.pruner) search.pruner = keptPruner;
  return {
    ...extra,
    name: values.name,
    project: values.project,
    template: values.template as SweepSpecInput['template'],
    ...search,
    parameters,
    metric: { name: values.metricName, goal: values.goal },
  };
}

/** Trials the sweep will run: the grid's combinations times repeats (capped), or maxTrials for a search; null when unknown. */
export function countTrials(values: SweepFormValues, template: TemplateInfo | undefined): number | null {
  const params = template ? templateParams(template) : [];
  const grid = params.reduce((n, p) => n * (values.knobs[p.name] ? knobGridSize(p, values.knobs[p.name]!) : 1), 1);
  return plannedTrials(values.search, grid);
}

/**
 * A stored spec as the form (clone this sweep), or null when the form cannot show it all (an
 * unknown template, weighted choices, an int step, a param the template does not list): the YAML
 * tab takes it then.
 */
export function formFromSpec(spec: SweepSpec, template: TemplateInfo): SweepFormValues | null {
  const base = initialFormValues(template);
  const params = new Map(templateParams(template).map((p) => [p.name, p]));
  const knobs = Object.fromEntries([...params.values()].map((p) => [p.name, initialKnob(p)]));
  for (const [name, space] of Object.entries(spec.parameters)) {
    const param = params.get(name);
    const knob = param && knobFromSpace(param, space);
    if (!knob) return null;
    knobs[name] = knob;
  }
  const { name, project, template: _template, method, seed, parameters: _parameters, repeats, maxTrials, pruner, metric, ...extra } = spec;
  return {
    ...base,
    name: `${name} (clone)`,
    project,
    knobs,
    metricName: metric.name,
    goal: metric.goal,
    search: {
      method,
      seed: seed === undefined ? '' : String(seed),
      maxTrials: maxTrials === undefined ? '' : String(maxTrials),
      repeats: String(repeats ?? 1),
      pruner: pruner?.type ?? 'none',
    },
    // The pruner's options (warmup, rungs) have no control here: kept while its type stays.
    extra: pruner ? { ...extra, pruner } : extra,
  };
}
