'use client';

import type { SearchMethod } from '@ablate/contracts';
import type { SearchFormValues } from '../lib/search-fields';
import { FormField } from './form-field';
import styles from './new-sweep-form.module.css';

interface SearchFieldsetProps {
  values: SearchFormValues;
  /** Validation messages by field key (`method`, `seed`, `maxTrials`, `repeats`, `pruner`). */
  errors: Record<string, string[] | undefined>;
  onChange: (values: SearchFormValues) => void;
}

const METHOD_HINTS: Record<SearchMethod, string> = {
  grid: 'every combination of the lists',
  random: 'samples the knobs (lists or ranges), seeded',
  tpe: 'samples near the best results so far (Bayesian), seeded',
};

/** How the sweep searches: method, sampler seed, budget, seeds per configuration and early stopping. */
export function SearchFieldset({ values, errors, onChange }: SearchFieldsetProps) {
  const set = (patch: Partial<SearchFormValues>) => onChange({ ...values, ...patch });
  const search = values.method !== 'grid';
  return (
    <fieldset className={styles.knobs}>
      <legend>Search</legend>
      <div className={styles.knobGrid}>
        <FormField field="method" label="Method" hint={METHOD_HINTS[values.method]} errors={errors.method}>
          {(p) => (
            <select {...p} value={values.method} onChange={(e) => set({ method: e.target.value as SearchMethod })}>
              <option value="grid">grid</option>
              <option value="random">random</option>
              <option value="tpe">tpe</option>
            </select>
          )}
        </FormField>
        <FormField field="maxTrials" label="Max trials" hint={search ? 'required for random and TPE' : 'optional cap on the grid'} errors={errors.maxTrials}>
          {(p) => <input {...p} inputMode="numeric" value={values.maxTrials} onChange={(e) => set({ maxTrials: e.target.value })} />}
        </FormField>
        <FormField field="repeats" label="Repeats" hint="seeds per configuration; ranked by the mean" errors={errors.repeats}>
          {(p) => <input {...p} inputMode="numeric" value={values.repeats} onChange={(e) => set({ repeats: e.target.value })} />}
        </FormField>
        <FormField field="seed" label="Sampler seed" hint={search ? 'same seed, same trials (default 0)' : 'random and TPE only'} errors={errors.seed}>
          {(p) => <input {...p} inputMode="numeric" value={values.seed} disabled={!search} onChange={(e) => set({ seed: e.target.value })} />}
        </FormField>
        <FormField field="pruner" label="Pruner" hint="stop weak trials early" errors={errors.pruner}>
          {(p) => (
            <select {...p} value={values.pruner} onChange={(e) => set({ pruner: e.target.value as SearchFormValues['pruner'] })}>
              <option value="none">none</option>
              <option value="median">median</option>
              <option value="asha">ASHA</option>
            </select>
          )}
        </FormField>
      </div>
    </fieldset>
  );
}
