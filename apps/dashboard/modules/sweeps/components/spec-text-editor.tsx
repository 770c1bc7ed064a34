'use client';

import type { SweepSpecInput, ValidationIssue } from '@ablate/contracts';
import { useDeferredValue, useMemo, useState, useTransition, type ChangeEvent } from 'react';
import { createSweepAction } from '../actions/create-sweep.action';
import { parseSpecText } from '../lib/spec-validation';
import styles from './spec-text-editor.module.css';

/** Paste or upload a spec (YAML or JSON); the contract validates as the user types, with each issue's field path. */
export function SpecTextEditor({ text, onTextChange }: { text: string; onTextChange: (text: string) => void }) {
  const deferred = useDeferredValue(text);
  const parsed = useMemo(() => parseSpecText(deferred), [deferred]);
  const [serverIssues, setServerIssues] = useState<ValidationIssue[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const issues = serverIssues ?? parsed.issues;
  const edit = (next: string) => {
    setServerIssues(null);
    setFailure(null);
    onTextChange(next);
  };
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) edit(await file.text());
  };
  const launch = () => {
    const current = parseSpecText(text);
    if (current.issues.length > 0) return;
    startTransition(async () => {
      const result = await createSweepAction(current.spec as SweepSpecInput);
      setServerIssues(result.issues.length > 0 ? result.issues : null);
      setFailure(result.issues.length > 0 ? null : result.message);
    });
  };
  return (
    <div className={styles.editor}>
      <div className={styles.toolbar}>
        <label className={styles.upload}>
          Upload a spec file
          <input type="file" accept=".yaml,.yml,.json,application/json,text/yaml" onChange={(e) => void upload(e)} />
        </label>
        <span className="muted">or paste it below. The same fields as <code>ablate sweep launch</code> takes (docs/sweep-spec.md).</span>
      </div>
      <textarea
        className={styles.text}
        aria-label="Spec (YAML or JSON)"
        spellCheck={false}
        value={text}
        onChange={(e) => edit(e.target.value)}
        aria-invalid={issues.length > 0}
        aria-describedby="spec-issues"
        rows={22}
      />
      <div id="spec-issues" aria-live="polite">
        {issues.length === 0 ? (
          <p className={styles.ok} data-testid="spec-valid">Valid spec.</p>
        ) : (
          <ul className={styles.issues} data-testid="spec-issues">
            {issues.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                <code>{issue.path}</code> {issue.message}
              </li>
            ))}
          </ul>
        )}
        {failure && <p className="error-box" role="alert">{failure}</p>}
      </div>
      <div>
        <button type="button" className="button-primary" disabled={pending || parsed.issues.length > 0} onClick={launch}>
          {pending ? 'Launching…' : 'Launch sweep from spec'}
        </button>
      </div>
    </div>
  );
}
