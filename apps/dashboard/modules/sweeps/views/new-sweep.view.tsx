'use client';

import { stringify } from 'yaml';
import { useState } from 'react';
import { NewSweepForm } from '../components/new-sweep-form';
import { SpecTextEditor } from '../components/spec-text-editor';
import type { SweepFormValues, TemplateInfo } from '../lib/sweep-form';
import styles from './new-sweep.module.css';

interface NewSweepViewProps {
  templates: TemplateInfo[];
  /** The form's first values (a template's defaults, or the cloned sweep's). */
  initial: SweepFormValues | null;
  /** The cloned sweep's spec as YAML, when cloning. */
  initialText: string;
  /** The sweep being cloned: its name, for the heading. */
  clonedFrom: { id: string; name: string } | null;
}

type Tab = 'form' | 'text';

/** `/sweeps/new`: the form, or a pasted/uploaded spec; both validated by the contract as the user types. */
export function NewSweepView({ templates, initial, initialText, clonedFrom }: NewSweepViewProps) {
  // A cloned spec the form cannot show (weighted choices, an int step) opens as text.
  const [tab, setTab] = useState<Tab>(initial ? 'form' : 'text');
  const [text, setText] = useState(initialText);
  if (templates.length === 0) return <p className="card">The scheduler offers no templates, so no sweep can be launched.</p>;
  const tabButton = (id: Tab, label: string) => (
    <button type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} className={styles.tab} onClick={() => setTab(id)}>
      {label}
    </button>
  );
  return (
    <section className="card">
      <h1>{clonedFrom ? `New sweep, cloned from ${clonedFrom.name}` : 'New sweep'}</h1>
      <div role="tablist" aria-label="How to describe the sweep" className={styles.tabs}>
        {tabButton('form', 'Form')}
        {tabButton('text', 'Paste or upload YAML / JSON')}
      </div>
      <div role="tabpanel" id="panel-form" aria-labelledby="tab-form" hidden={tab !== 'form'}>
        {initial ? (
          <NewSweepForm
            templates={templates}
            initial={initial}
            onEditAsText={(spec) => {
              setText(stringify(spec));
              setTab('text');
            }}
          />
        ) : (
          <p className="muted">This spec uses fields the form has no control for; edit it as text.</p>
        )}
      </div>
      <div role="tabpanel" id="panel-text" aria-labelledby="tab-text" hidden={tab !== 'text'}>
        <SpecTextEditor text={text} onTextChange={setText} />
      </div>
    </section>
  );
}
