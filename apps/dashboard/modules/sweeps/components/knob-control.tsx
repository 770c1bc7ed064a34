'use client';

import type { Primitive, TemplateParam } from '@ablate/contracts';
import { choicesOf, isTicked, type KnobMode, type KnobState } from '../lib/knob-form';
import styles from './knob-control.module.css';

interface KnobControlProps {
  param: TemplateParam;
  knob: KnobState;
  /** Issues on `parameters.<name>` (and below), from the contract as the user types or from the scheduler. */
  errors: string[] | undefined;
  onChange: (knob: KnobState) => void;
}

/** One template param: a list of values, ticked choices, or a (log) range; optionally only when another knob has a value. */
export function KnobControl({ param, knob, errors, onChange }: KnobControlProps) {
  const id = `field-parameters-${param.name}`;
  const set = (patch: Partial<KnobState>) => onChange({ ...knob, ...patch });
  const invalid = errors !== undefined && errors.length > 0;
  const describedBy = [`${id}-hint`, invalid ? `${id}-error` : ''].filter(Boolean).join(' ');
  const control = { 'aria-invalid': invalid, 'aria-describedby': describedBy };
  return (
    <div className={styles.knob} data-testid={`knob-${param.name}`} data-invalid={invalid || undefined}>
      <div className={styles.head}>
        <label htmlFor={isTicked(param) ? undefined : id} className={styles.name} title={param.name}>
          {param.name}
        </label>
        <span className={styles.spacer} />
        {!isTicked(param) && (param.type === 'number' || param.type === 'integer') && (
          <select aria-label={`${param.name}: sweep as`} className={styles.mode} value={knob.mode} onChange={(e) => set({ mode: e.target.value as KnobMode })}>
            <option value="values">values</option>
            <option value="range">range</option>
          </select>
        )}
      </div>
      <span className={styles.kind}>{kindText(param)}</span>
      {isTicked(param) ? (
        <div className={styles.ticks} role="group" aria-label={param.name} {...control}>
          {choicesOf(param).map((choice) => (
            <label key={String(choice)} className={styles.tick}>
              <input type="checkbox" aria-label={`${param.name} ${String(choice)}`} checked={knob.picked.includes(choice)} onChange={(e) => set({ picked: toggle(knob.picked, choice, e.target.checked) })} />
              {String(choice)}
            </label>
          ))}
        </div>
      ) : knob.mode === 'range' ? (
        <div className={styles.range}>
          <input id={id} aria-label={`${param.name} min`} inputMode="decimal" placeholder="min" value={knob.min} onChange={(e) => set({ min: e.target.value })} {...control} />
          <span aria-hidden>to</span>
          <input aria-label={`${param.name} max`} inputMode="decimal" placeholder="max" value={knob.max} onChange={(e) => set({ max: e.target.value })} {...control} />
          {param.type === 'number' && (
            <label className={styles.tick} title="sample the logarithm uniformly (learning rates); min must be above 0">
              <input type="checkbox" checked={knob.log} onChange={(e) => set({ log: e.target.checked })} />
              log scale
            </label>
          )}
        </div>
      ) : (
        <input id={id} value={knob.text} placeholder={param.required ? 'required' : 'template default'} onChange={(e) => set({ text: e.target.value })} {...control} />
      )}
      <p id={`${id}-hint`} className={styles.hint} title={param.description ?? undefined}>
        {param.description ?? ''}
      </p>
      <details className={styles.when} open={knob.when !== '' || undefined}>
        <summary>only when…</summary>
        <input aria-label={`${param.name} only when`} placeholder="batchNorm=true, head=dense|random-forest" value={knob.when} onChange={(e) => set({ when: e.target.value })} />
      </details>
      {invalid && (
        <p id={`${id}-error`} className={styles.error} data-testid={`error-parameters.${param.name}`} role="alert">
          {errors.join('; ')}
        </p>
      )}
    </div>
  );
}

/** `number, 0 ≤ x ≤ 0.9 · default 0`: what values the param takes. */
export function kindText(param: TemplateParam): string {
  const low = param.min === undefined ? '' : `${param.min} ${param.minExclusive ? '<' : '≤'} `;
  const high = param.max === undefined ? '' : ` ≤ ${param.max}`;
  const bounds = low || high ? `, ${low}x${high}` : '';
  const base = param.type === 'choice' ? 'choice' : `${param.type}${bounds}`;
  if (param.default !== undefined) return `${base} · default ${String(param.default)}`;
  return param.required ? `${base} · required` : `${base} · optional`;
}

function toggle(picked: Primitive[], choice: Primitive, on: boolean): Primitive[] {
  return on ? [...picked.filter((p) => p !== choice), choice] : picked.filter((p) => p !== choice);
}
