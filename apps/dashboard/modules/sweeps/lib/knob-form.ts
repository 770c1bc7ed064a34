import type { ParameterSpace, Primitive, TemplateParam } from '@ablate/contracts';

/** How a knob is swept: a list of values (a grid walks them; a search picks one), or a range to sample. */
export type KnobMode = 'values' | 'range';

/** One knob as the form edits it; text stays text until the spec is built, so typing never jumps. */
export interface KnobState {
  mode: KnobMode;
  /** Comma-separated values (numbers, text) in `values` mode. */
  text: string;
  /** Values ticked for a boolean or a choice. */
  picked: Primitive[];
  /** Range bounds as typed. */
  min: string;
  max: string;
  /** Sample the range on a log scale (learning rates). */
  log: boolean;
  /** Condition as typed, e.g. `batchNorm=true` or `head=dense|random-forest, augment=true`. */
  when: string;
}

const EMPTY: KnobState = { mode: 'values', text: '', picked: [], min: '', max: '', log: false, when: '' };

/** True for params edited by ticking values (a boolean's true/false, a choice's options). */
export function isTicked(param: TemplateParam): boolean {
  return param.type === 'boolean' || param.type === 'choice';
}

/** The choices a ticked param offers. */
export function choicesOf(param: TemplateParam): Primitive[] {
  return param.type === 'boolean' ? [false, true] : (param.choices ?? []);
}

/** A knob at the template default (left out of the spec), or preset to `values`. */
export function initialKnob(param: TemplateParam, preset?: Primitive[]): KnobState {
  const values = preset ?? (param.default === undefined ? [] : [param.default]);
  return isTicked(param) ? { ...EMPTY, picked: values } : { ...EMPTY, text: values.map(String).join(', ') };
}

/** The knob's space in the spec, or undefined when it is left at the template default. */
export function knobSpace(param: TemplateParam, knob: KnobState): ParameterSpace | undefined {
  const when = parseCondition(knob.when);
  const withWhen = <T extends object>(space: T): T => (when === undefined ? space : { ...space, when: when });
  if (knob.mode === 'range' && !isTicked(param)) {
    const range = { min: numberOrText(knob.min), max: numberOrText(knob.max) } as { min: number; max: number };
    if (knob.log) return withWhen({ loguniform: range });
    return withWhen(param.type === 'integer' ? { int: range } : { uniform: range });
  }
  const values = isTicked(param) ? orderedPicks(param, knob.picked) : parseValueList(knob.text, param);
  // Left at its default (and unconditional): the template fills it in, and `seed` must stay out with repeats.
  const atDefault = param.default !== undefined && values.length === 1 && values[0] === param.default;
  if (when === undefined && (atDefault || (values.length === 0 && !isTicked(param)))) return undefined;
  return withWhen({ values });
}

/** Ticked values in the order the param lists them, so a grid's order does not depend on click order. */
function orderedPicks(param: TemplateParam, picked: Primitive[]): Primitive[] {
  return choicesOf(param).filter((choice) => picked.includes(choice));
}

/** `"0, 0.5"` → `[0, 0.5]` for a number param; text for a string param; anything that is not a number stays text. */
export function parseValueList(text: string, param: Pick<TemplateParam, 'type'>): Primitive[] {
  return text
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '')
    .map((token) => (param.type === 'number' || param.type === 'integer' ? (numberOrText(token) ?? token) : token));
}

/** A typed number, or the text itself so the contract names the field when it is not one; undefined when empty. */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed;
}

/** `batchNorm=true, head=dense|random-forest` → `{ batchNorm: true, head: ['dense', 'random-forest'] }`; undefined when empty. */
export function parseCondition(text: string): Record<string, Primitive | Primitive[]> | undefined {
  const parts = text.split(/[,;]/).map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) return undefined;
  const condition: Record<string, Primitive | Primitive[]> = {};
  for (const part of parts) {
    const [name = '', value = ''] = part.split('=').map((s) => s.trim());
    const options = value.split('|').map((v) => conditionValue(v.trim()));
    condition[name] = options.length === 1 ? options[0]! : options;
  }
  return condition;
}

function conditionValue(token: string): Primitive {
  if (token === 'true' || token === 'false') return token === 'true';
  const n = numberOrText(token);
  return n ?? token;
}

/** The inverse of `parseCondition`, for a cloned spec. */
export function formatCondition(condition: Record<string, Primitive | Primitive[]> | undefined): string {
  if (!condition) return '';
  return Object.entries(condition)
    .map(([name, value]) => `${name}=${Array.isArray(value) ? value.map(String).join('|') : String(value)}`)
    .join(', ');
}

/** A spec's space as the form shows it, or null when the form cannot (weighted choices, an int step). */
export function knobFromSpace(param: TemplateParam, space: ParameterSpace): KnobState | null {
  const when = formatCondition(space.when);
  if ('value' in space) return { ...initialKnob(param, [space.value]), when };
  if ('values' in space) return { ...initialKnob(param, space.values), when };
  if ('uniform' in space) return { ...EMPTY, mode: 'range', min: String(space.uniform.min), max: String(space.uniform.max), when };
  if ('loguniform' in space) return { ...EMPTY, mode: 'range', log: true, min: String(space.loguniform.min), max: String(space.loguniform.max), when };
  if ('int' in space && space.int.step === undefined) return { ...EMPTY, mode: 'range', min: String(space.int.min), max: String(space.int.max), when };
  if ('categorical' in space && space.categorical.weights === undefined) return { ...initialKnob(param, space.categorical.values), when };
  return null;
}

/** How many values the knob contributes to a grid (1 for a range, which a grid refuses anyway). */
export function knobGridSize(param: TemplateParam, knob: KnobState): number {
  const space = knobSpace(param, knob);
  return space && 'values' in space ? Math.max(1, space.values.length) : 1;
}
