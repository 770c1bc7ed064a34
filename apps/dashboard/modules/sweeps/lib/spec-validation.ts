import { ApiError, planSweep, type ValidationIssue } from '@ablate/contracts';
import { parse } from 'yaml';

/**
 * Every issue the contract finds in a spec (the same `planSweep` the scheduler runs: fields, the
 * template's param names and bounds, the grid's size), each with its field path; empty when valid.
 */
export function specIssues(raw: unknown): ValidationIssue[] {
  try {
    planSweep(raw);
    return [];
  } catch (error) {
    if (error instanceof ApiError) return error.issues ?? [{ path: '(root)', message: error.message }];
    return [{ path: '(root)', message: error instanceof Error ? error.message : String(error) }];
  }
}

/** A pasted or uploaded spec: YAML or JSON (YAML reads both). */
export interface ParsedSpecText {
  /** The parsed value; undefined when the text is empty or not YAML/JSON. */
  spec: unknown;
  /** Syntax errors (with line and column) or the contract's issues. */
  issues: ValidationIssue[];
}

/** Parses a spec's text and validates it with the contract. */
export function parseSpecText(text: string): ParsedSpecText {
  if (text.trim() === '') return { spec: undefined, issues: [{ path: '(root)', message: 'paste or upload a sweep spec (YAML or JSON)' }] };
  let spec: unknown;
  try {
    spec = parse(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { spec: undefined, issues: [{ path: '(syntax)', message }] };
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    return { spec: undefined, issues: [{ path: '(root)', message: 'a spec is a mapping of fields (name, template, parameters, metric, ...)' }] };
  }
  return { spec, issues: specIssues(spec) };
}
