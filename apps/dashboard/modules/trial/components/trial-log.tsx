'use client';

import type { TrialLogLine } from '@ablate/contracts';
import { useEffect, useRef } from 'react';
import styles from './trial.module.css';

/** Log lines in a scrolling box that stays at the bottom as lines arrive; stderr and the agent's lines are told apart. */
export function LogLines({ lines, testId = 'log-tail' }: { lines: readonly TrialLogLine[]; testId?: string }) {
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);
  const attempts = new Set(lines.map((l) => l.attempt)).size;
  return (
    <pre ref={box} className={styles.log} data-testid={testId} tabIndex={0} aria-label="Log lines">
      {lines.map((l) => (
        <span key={`${l.attempt}:${l.seq}`} className={styles[`log_${l.stream}`]}>
          {attempts > 1 && <span className={styles.logAttempt}>#{l.attempt} </span>}
          {l.stream === 'agent' ? `[agent] ${l.line}` : l.line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

/** The whole stored tail, live while the trial runs. */
export function TrialLog({ lines, live }: { lines: readonly TrialLogLine[]; live: boolean }) {
  return (
    <section className="card" aria-label="Log">
      <h2>Log {live && <span className={styles.muted}>(live)</span>}</h2>
      {lines.length === 0 ? (
        <p className={styles.muted}>
          No log lines yet. Lines appear here as the worker sends them (the last 500 of stdout, stderr and the agent are kept).
        </p>
      ) : (
        <LogLines lines={lines} />
      )}
    </section>
  );
}
