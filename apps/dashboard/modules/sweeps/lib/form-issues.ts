import type { ValidationIssue } from '@ablate/contracts';

/** Issues grouped by the form field they belong to; `general` holds those no field owns. */
export interface FieldIssues {
  byField: Record<string, string[]>;
  general: string[];
}

/**
 * Assigns each issue to the field whose key is the longest prefix of its dotted path, so
 * `parameters.dropout.values.1` lands on `parameters.dropout` and `parameters` on the knobs.
 */
export function groupIssues(issues: readonly ValidationIssue[], fieldKeys: readonly string[]): FieldIssues {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const owner = fieldKeys
      .filter((key) => issue.path === key || issue.path.startsWith(`${key}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (owner === undefined) {
      general.push(issue.path === '(root)' ? issue.message : `${issue.path}: ${issue.message}`);
      continue;
    }
    (byField[owner] ??= []).push(issue.message);
  }
  return { byField, general };
}
