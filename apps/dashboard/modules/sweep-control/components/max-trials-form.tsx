'use client';

import type { SweepSummary } from '@ablate/contracts';
import { useState, useTransition, type FormEvent } from 'react';
import { raiseMaxTrialsAction } from '../actions/steer-sweep.action';
import { unreachable } from '../lib/unreachable';
import styles from './sweep-controls.module.css';

interface MaxTrialsFormProps {
  sweepId: string;
  /** The budget now (raised budgets come from the sweep's events). */
  current: number;
  onRaised: (sweep: SweepSummary) => void;
}

/** Raises a running sweep's `maxTrials` (it may only grow). */
export function MaxTrialsForm({ sweepId, current, onRaised }: MaxTrialsFormProps) {
  const [text, setText] = useState(String(current + 10));
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const value = Number(text);
  const valid = Number.isInteger(value) && value > current;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!valid) return setError(`Give a whole number above the current budget of ${current}.`);
    setError(null);
    startTransition(async () => {
      const result = await raiseMaxTrialsAction(sweepId, value).catch(unreachable);
      if (result.ok) onRaised(result.sweep);
      else setError(result.message);
    });
  };
  return (
    <form className={styles.budget} onSubmit={submit} aria-label="Raise max trials">
      <label htmlFor="max-trials">Max trials ({current} now)</label>
      <input id="max-trials" type="number" min={current + 1} step={1} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!valid} />
      <button type="submit" disabled={pending || !valid}>{pending ? 'Raising…' : 'Raise'}</button>
      {error && <span role="alert" className={styles.error}>{error}</span>}
    </form>
  );
}
