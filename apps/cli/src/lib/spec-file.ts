import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';

/**
 * Reads a sweep spec file: JSON (`.json`) or YAML (anything else; `.yaml`, `.yml`). A syntax error
 * names the file, line and column; the scheduler checks the content and lists every bad field.
 */
export async function readSpecFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  if (path.extname(file).toLowerCase() === '.json') return parseJson(file, text);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    const where = error.linePos ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '';
    throw new Error(`${file}${where} is not valid YAML: ${error.message.split('\n')[0] ?? error.code}`);
  }
  const spec: unknown = doc.toJS();
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new Error(
      `${file} must hold one sweep spec (a mapping with name, template, parameters, metric); see docs/sweep-spec.md.`,
    );
  }
  return spec;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    const at = position ? lineAndColumn(text, Number(position[1])) : '';
    throw new Error(`${file}${at} is not valid JSON: ${message}`, { cause: err });
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}
