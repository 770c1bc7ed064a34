import { templates as builtInTemplates, type Goal, type ParameterSpace, type Primitive, type SweepSpecInput, type TemplateList } from '@ablate/contracts';
import { INITIAL_SEARCH, parseRange, plannedTrials, searchSpec, type SearchFormValues } from './search-fields';

export type TemplateInfo = TemplateList['templates'][number];

/** The template the form opens on when the scheduler offers it: the course's first exercise. */
export const DEFAULT_TEMPLATE = 'mnist-cnn';

/** One param of a template, as the form offers it. */
export interface KnobInfo {
  key: string;
  /** The template default, or undefined when it has none. */
  defaultValue: unknown;
  /** No default and not optional: every trial needs a value. */
  required: boolean;
}

/**
 * Every param of a template. The API lists defaults only, so params without one (a model URL,
 * say) come from the template's schema in the contracts, in the schema's order.
 */
export function templateKnobs(template: TemplateInfo): KnobInfo[] {
  const schema: unknown = (builtInTemplates as Record<string, { params: unknown } | undefined>)[template.name]?.params;
  const shape = typeof schema === 'object' && schema !== null && 'shape' in schema ? (schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>) : {};
  const keys = [...new Set([...Object.keys(shape), ...Object.keys(template.defaults)])];
  return keys.map((key) => {
    const defaultValue = template.defaults[key];
    const optional = shape[key]?.safeParse(undefined).success ?? true;
    return { key, defaultValue, required: defaultValue === undefined && !optional };
  });
}

/** What the "New sweep" form edits; knobs are comma-separated lists, as typed. */
export interface SweepFormValues {
  name: string;
  project: string;
  template: string;
  /** Param name → list of values as text, e.g. `0, 0.5`. Empty means "template default". */
  params: Record<string, string>;
  metricName: string;
  goal: Goal;
  /** Method, seed, budget, repeats and pruner. */
  search: SearchFormValues;
}

/** One-click presets: the course's dropout × batch-norm 2×2 grid. */
const PRESETS: Record<string, { name: string; params: Record<string, string> }> = {
  'mnist-cnn': { name: 'Dropout × batch norm', params: { dropout: '0, 0.5', batchNorm: 'false, true' } },
};

/** The form as it opens for `template`: its defaults, with the preset's knobs on top. */
export function initialFormValues(template: TemplateInfo, current?: Pick<SweepFormValues, 'name' | 'project' | 'search'>): SweepFormValues {
  const preset = PRESETS[template.name];
  const params: Record<string, string> = {};
  for (const { key, defaultValue } of templateKnobs(template)) {
    params[key] = preset?.params[key] ?? formatDefault(defaultValue);
  }
  const metric = preferredMetric(template);
  return {
    name: current?.name ?? preset?.name ?? `${template.name} sweep`,
    project: current?.project ?? 'default',
    template: template.name,
    params,
    metricName: metric?.name ?? '',
    goal: metric?.goal ?? 'maximize',
    search: current?.search ?? INITIAL_SEARCH,
  };
}

/** Validation accuracy when the template has one: what a class compares runs by. */
function preferredMetric(template: TemplateInfo): TemplateInfo['metrics'][number] | undefined {
  const { metrics } = template;
  return (
    metrics.find((m) => m.name.startsWith('val_') && m.goal === 'maximize') ??
    metrics.find((m) => m.name.startsWith('val_')) ??
    metrics[0]
  );
}

function formatDefault(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** The request body for the form; the scheduler validates it and names each bad field. */
export function buildSweepSpec(values: SweepFormValues, template: TemplateInfo | undefined): SweepSpecInput {
  const parameters: Record<string, ParameterSpace> = {};
  for (const [key, text] of Object.entries(values.params)) {
    // A knob left at its default is left out: the template fills it in (and `seed` must stay out with repeats).
    const defaultValue = template?.defaults[key];
    if (defaultValue !== undefined && text.trim() === formatDefault(defaultValue)) continue;
    const range = parseRange(text, template?.defaults[key]);
    const list = parseValueList(text, template?.defaults[key]);
    if (range) parameters[key] = range;
    else if (list.length > 0) parameters[key] = { values: list };
  }
  return {
    name: values.name,
    project: values.project,
    template: values.template as SweepSpecInput['template'],
    ...searchSpec(values.search),
    parameters,
    metric: { name: values.metricName, goal: values.goal },
  };
}

/** `"0, 0.5"` → `[0, 0.5]`, typed like the template default; anything else stays text. */
export function parseValueList(text: string, defaultValue: unknown): Primitive[] {
  return text
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '')
    .map((token) => coerce(token, defaultValue));
}

function coerce(token: string, defaultValue: unknown): Primitive {
  const asBoolean = token === 'true' ? true : token === 'false' ? false : undefined;
  const asNumber = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(token) ? Number(token) : undefined;
  // Typed like the default; a param without one takes whatever the text looks like.
  if (typeof defaultValue === 'boolean') return asBoolean ?? token;
  if (typeof defaultValue === 'number') return asNumber ?? token;
  if (typeof defaultValue === 'string') return token;
  return asBoolean ?? asNumber ?? token;
}

/** How many trials the sweep runs: the grid's combinations times repeats (capped), or maxTrials for a search; null when unknown. */
export function countTrials(values: SweepFormValues, template: TemplateInfo | undefined): number | null {
  const grid = Object.entries(values.params).reduce(
    (n, [key, text]) => n * (parseRange(text, template?.defaults[key]) ? 1 : Math.max(1, parseValueList(text, template?.defaults[key]).length)),
    1,
  );
  return plannedTrials(values.search, grid);
}
