import type { SweepSpec } from '@ablate/contracts';
import { stringify } from 'yaml';
import { buildSweepSpec, DEFAULT_TEMPLATE, formFromSpec, initialFormValues, type SweepFormValues, type TemplateInfo } from './sweep-form';

/** Where `/sweeps/new` opens: a template's defaults, or a cloned sweep's spec (as the form when it can show it, and as YAML). */
export function newSweepStart(
  templates: TemplateInfo[],
  cloned: { id: string; name: string; spec: SweepSpec } | null,
): { initial: SweepFormValues | null; initialText: string; clonedFrom: { id: string; name: string } | null } {
  if (cloned) {
    const template = templates.find((t) => t.name === cloned.spec.template);
    const initial = template ? formFromSpec(cloned.spec, template) : null;
    return { initial, initialText: stringify({ ...cloned.spec, name: `${cloned.spec.name} (clone)` }), clonedFrom: { id: cloned.id, name: cloned.name } };
  }
  const template = templates.find((t) => t.name === DEFAULT_TEMPLATE) ?? templates[0];
  const initial = template ? initialFormValues(template) : null;
  return { initial, initialText: initial ? stringify(buildSweepSpec(initial, template)) : '', clonedFrom: null };
}
