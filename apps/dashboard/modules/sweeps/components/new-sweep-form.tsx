'use client';

import type { Goal, ValidationIssue } from '@ablate/contracts';
import { useMemo, useState, useTransition, type FormEvent } from 'react';
import { createSweepAction } from '../actions/create-sweep.action';
import { groupIssues } from '../lib/form-issues';
import { buildSweepSpec, countTrials, DEFAULT_TEMPLATE, initialFormValues, templateKnobs, type SweepFormValues, type TemplateInfo } from '../lib/sweep-form';
import { FormField } from './form-field';
import { SearchFieldset } from './search-fieldset';
import styles from './new-sweep-form.module.css';

/** The "New sweep" form; the scheduler validates, and its issues show next to their fields. */
export function NewSweepForm({ templates }: { templates: TemplateInfo[] }) {
  const first = templates.find((t) => t.name === DEFAULT_TEMPLATE) ?? templates[0];
  const [values, setValues] = useState<SweepFormValues | null>(() => (first ? initialFormValues(first) : null));
  const [issues, setIssues] = useState<ValidationIssue[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const template = templates.find((t) => t.name === values?.template);
  const knobs = useMemo(() => (template ? templateKnobs(template) : []), [template]);
  const fieldKeys = useMemo(
    () => ['name', 'project', 'template', 'parameters', 'metric.name', 'metric.goal', ...SEARCH_FIELDS, ...Object.keys(values?.params ?? {}).map((k) => `parameters.${k}`)],
    [values?.params],
  );
  if (!values) return <p>The scheduler offers no templates, so no sweep can be launched.</p>;

  const { byField, general } = groupIssues(issues, fieldKeys);
  const update = (patch: Partial<SweepFormValues>) => setValues({ ...values, ...patch });
  const setParam = (key: string, text: string) => update({ params: { ...values.params, [key]: text } });
  const chooseTemplate = (name: string) => {
    const next = templates.find((t) => t.name === name);
    if (next) setValues(initialFormValues(next, values));
  };
  const chooseMetric = (name: string) => {
    const goal = template?.metrics.find((m) => m.name === name)?.goal ?? values.goal;
    update({ metricName: name, goal });
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await createSweepAction(buildSweepSpec(values, template));
      setIssues(result.issues);
      setFailure(result.issues.length > 0 ? null : result.message);
    });
  };

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
        <legend>Knobs: comma-separated values per param (a grid runs every combination); random and TPE also take a range, 0.1..0.5 or log 1e-4..1e-1</legend>
        {byField.parameters && <p className={styles.error} role="alert">{byField.parameters.join('; ')}</p>}
        <div className={styles.knobGrid}>
          {knobs.map(({ key, defaultValue, required }) => (
            <FormField key={key} field={`parameters.${key}`} label={key} hint={knobHint(defaultValue, required)} errors={byField[`parameters.${key}`]}>
              {(p) => <input {...p} value={values.params[key] ?? ''} onChange={(e) => setParam(key, e.target.value)} />}
            </FormField>
          ))}
        </div>
      </fieldset>

      <SearchFieldset values={values.search} errors={byField} onChange={(search) => update({ search })} />

      <div className={styles.row}>
        <FormField field="metric.name" label="Rank by metric" errors={byField['metric.name']}>
          {(p) => (
            <select {...p} value={values.metricName} onChange={(e) => chooseMetric(e.target.value)}>
              {template?.metrics.map((m) => <option key={m.name} value={m.name}>{m.name}</option>)}
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
        <button type="submit" disabled={pending}>{pending ? 'Launching…' : 'Launch sweep'}</button>
        <span className={styles.hint}>{trialCountText(countTrials(values, template))}</span>
      </div>
    </form>
  );
}

const SEARCH_FIELDS = ['method', 'seed', 'maxTrials', 'repeats', 'pruner'];

function trialCountText(n: number | null): string {
  return n === null ? 'set max trials' : n === 1 ? '1 trial' : `${n} trials`;
}

function knobHint(defaultValue: unknown, required: boolean): string {
  if (defaultValue !== undefined) return `default ${JSON.stringify(defaultValue)}`;
  return required ? 'required' : 'optional';
}
