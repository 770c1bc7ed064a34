import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The metrics a command trial reported up to each checkpoint, kept by the agent inside the
 * checkpoint folder (so the artifact store carries it with the program's own files). A trial that
 * resumes elsewhere re-reports from it the checkpointed steps the scheduler lacks (reports lost
 * with a dead agent), as the built-in templates do from their checkpoints.
 */
export const METRICS_JOURNAL = '.ablate-metrics.jsonl';

/** One reported metric line. */
export interface JournalEntry {
  step: number;
  metrics: Record<string, number>;
}

/** The entries in `dir`, in order; a missing journal is empty, a torn or foreign line is skipped. */
export async function readJournal(dir: string): Promise<JournalEntry[]> {
  const text = await readFile(path.join(dir, METRICS_JOURNAL), 'utf8').catch(() => '');
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as Partial<JournalEntry>;
      if (Number.isInteger(e.step) && e.metrics && typeof e.metrics === 'object') entries.push({ step: e.step!, metrics: e.metrics });
    } catch {
      // an empty last line, or a line cut short when the agent died mid-write
    }
  }
  return entries;
}

/**
 * Appends entries before the agent passes the checkpoint on (synchronously, so an upload that
 * follows the checkpoint event finds them).
 */
export function appendJournal(dir: string, entries: readonly JournalEntry[]): void {
  if (entries.length === 0) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, METRICS_JOURNAL), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}
