'use client';

import type { Goal, SweepSpecInput, ValidationIssue } from '@ablate/contracts';
import { useDeferredValue, useMemo, useState, useTransition, type FormEvent } from 'react';
import { createSweepAction } from '../actions/create-sweep.action';
import { groupIssues } from '../lib/form-issues';
import { specIssues } from '../lib/spec-validation';
import { buildSweepSpec, countTrials, initialFormValues, templateParams, type SweepFormValues, type TemplateInfo } from '../lib/sweep-form';
import { FormField } from './form-field';
import { KnobControl } from './knob-control';
import { SearchFieldset } from './search-fieldset';
import styles from './new-sweep-form.module.css';

interface NewSweepFormProps {
  templates: TemplateInfo[];
  /** Where the form opens: a template's defaults, or a cloned sweep. */
  initial: SweepFormValues;
  /** Opens the YAML tab on the spec the form describes now. */
  onEditAsText: (spec: SweepSpecInput) => void;
}

const SEARCH_FIELDS = ['method', 'seed', 'maxTrials', 'repeats', 'pruner'];

/** The "New sweep" form: the contract validates as the user types; the scheduler validates again on launch. */
export function NewSweepForm({ templates, initial, onEditAsText }: NewSweepFormProps) {
  const [values, setValues] = useState<SweepFormValues>(initial);
  // The scheduler's answer to the last launch; cleared by the next edit.
  const [serverIssues, setServerIssues] = useState<ValidationIssue[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const template = templates.find((t) => t.name === values.template);
  const params = useMemo(() => (template ? templateParams(template) : []), [template]);
  const spec = useMemo(() => buildSweepSpec(values, template), [values, template]);
  // Validation (a grid's expansion included) runs on a deferred copy: a keystroke renders first.
  const deferredSpec = useDeferredValue(spec);
  const liveIssues = useMemo(() => specIssues(deferredSpec), [deferredSpec]);
  const issues = serverIssues ?? liveIssues;
  const fieldKeys = useMemo(() => ['name', 'project', 'template', 'parameters', 'metric.name', 'metric.goal', ...SEARCH_FIELDS, ...params.map((p) => `parameters.${p.name}`)], [params]);
  const { byField, general } = groupIssues(issues, fieldKeys);

  const update = (patch: Partial<SweepFormValues>) => {
    setServerIssues(null);
    setFailure(null);
    setValues({ ...values, ...patch });
  };
  const chooseTemplate = (name: string) => {
    const next = templates.find((t) => t.name === name);
    if (next) update(initialFormValues(next, values));
  };
  const chooseMetric = (name: string) => update({ metricName: name, goal: template?.metrics.find((m) => m.name === name)?.goal ?? values.goal });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (specIssues(spec).length > 0) {
      // The messages are on screen already; take the user to the first one.
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    startTransition(async () => {
      const result = await createSweepAction(spec);
      setServerIssues(result.issues.length > 0 ? result.issues : null);
      setFailure(result.issues.length > 0 ? null : result.message);
    });
  };
  const count = countTrials(values, template);

  return (
    <form className={styles.form} onSubmit={submit} aria-label="New sweep" noValidate>
      <div className={styles.row}>
        <FormField field="name" label="Name" errors={byField.name}>
          {(p) => <input {...p} value={values.name} onChange={(e) => update({ name: e.target.value })} />}
        </FormField>
        <FormField field="project" label="Project" hint="lowercase letters, digits, dashes" errors={byField.project}>
          {(p) => <input {...p} value={values.project} onChange={(e) => update({ project: e.target.value })} />}
        </FormField>
        <FormField field="template" label="Template" hint={template?.description} errors={byField.template}>
          {(p) => (
            <select {...p} value={values.template} onChange={(e) => chooseTemplate(e.target.value)}>
              {templates.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
            </select>
          )}
        </FormField>
      </div>

      <fieldset className={styles.knobs}>
        <legend>Knobs: a grid runs every combination of the values; random and TPE sample ranges too</legend>
        {template?.openParams && <p className={styles.hint}>This template passes params of your own to your program: add them in the YAML tab.</p>}
        {byField.parameters && <p className={styles.error} role="alert" data-testid="error-parameters">{byField.parameters.join('; ')}</p>}
        <div className={styles.knobGrid}>
          {params.map((param) => (
            <KnobControl key={param.name} param={param} knob={values.knobs[param.name]!} errors={byField[`parameters.${param.name}`]} onChange={(knob) => update({ knobs: { ...values.knobs, [param.name]: knob } })} />
          ))}
        </div>
      </fieldset>

      <SearchFieldset values={values.search} errors={byField} onChange={(search) => update({ search })} />

      <div className={styles.row}>
        <FormField field="metric.name" label="Rank by metric" errors={byField['metric.name']}>
          {(p) => (
            <select {...p} value={values.metricName} onChange={(e) => chooseMetric(e.target.value)}>
              {template?.metrics.map((m) => <option key={m.name} value={m.name}>{m.name} ({m.when === 'final' ? 'once, at the end' : 'per epoch'})</option>)}
            </select>
          )}
        </FormField>
        <FormField field="metric.goal" label="Goal" errors={byField['metric.goal']}>
          {(p) => (
            <select {...p} value={values.goal} onChange={(e) => update({ goal: e.target.value as Goal })}>
              <option value="maximize">maximize</option>
              <option value="minimize">minimize</option>
            </select>
          )}
        </FormField>
      </div>

      {(failure || general.length > 0) && (
        <div className={styles.failure} role="alert" data-testid="form-error">
          {failure && <p>{failure}</p>}
          {general.map((message) => <p key={message}>{message}</p>)}
        </div>
      )}
      <div className={styles.actions}>
        <button type="submit" className="button-primary" disabled={pending}>{pending ? 'Launching…' : 'Launch sweep'}</button>
        <span className={styles.hint} data-testid="trial-count">{count === null ? 'set max trials' : count === 1 ? '1 trial' : `${count} trials`}</span>
        <span className={issues.length > 0 ? styles.error : styles.ok} data-testid="validity" aria-live="polite">
          {issues.length > 0 ? `${issues.length} ${issues.length === 1 ? 'issue' : 'issues'} to fix` : 'valid spec'}
        </span>
        <span className={styles.spacer} />
        <button type="button" onClick={() => onEditAsText(spec)}>Edit as YAML</button>
      </div>
    </form>
  );
}
