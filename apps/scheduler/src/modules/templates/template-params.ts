import * as contracts from '@ablate/contracts';
import type { TemplateDescriptor, TemplateParam } from '@ablate/contracts';
import { z } from 'zod';
import { TEMPLATE_PARAM_DOCS } from './template-param-docs.generated.js';

/** The JSON Schema of one property, as zod 4 writes it for a template's params. */
interface PropertySchema {
  type?: string;
  enum?: unknown[];
  anyOf?: PropertySchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

/**
 * The knobs of a template, for the launch form: built here from the zod schema through its JSON
 * Schema (zod's public export, input side, so defaulted params are not required), with the doc
 * comments the generator took from the source. The browser never reads zod internals.
 */
export function templateParams(template: TemplateDescriptor): { params: TemplateParam[]; openParams: boolean } {
  const json = z.toJSONSchema(template.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, PropertySchema>;
    required?: string[];
    additionalProperties?: unknown;
  };
  const required = new Set(json.required ?? []);
  const docs = TEMPLATE_PARAM_DOCS[schemaName(template)] ?? {};
  const params = Object.entries(json.properties ?? {}).map(([name, schema]) => toParam(name, schema, required.has(name), docs[name] ?? docElsewhere(name)));
  return { params, openParams: json.additionalProperties !== undefined && json.additionalProperties !== false };
}

function toParam(name: string, schema: PropertySchema, required: boolean, description: string | null): TemplateParam {
  const param: TemplateParam = { name, type: typeOf(schema), required, description };
  if (isPrimitive(schema.default)) param.default = schema.default;
  if (schema.enum) param.choices = schema.enum.filter(isPrimitive);
  if (schema.exclusiveMinimum !== undefined) {
    param.min = schema.exclusiveMinimum;
    param.minExclusive = true;
  } else if (schema.minimum !== undefined) param.min = schema.minimum;
  // Number.MAX_SAFE_INTEGER is zod's "any integer", not a bound anyone chose.
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) param.max = schema.maximum;
  return param;
}

function typeOf(schema: PropertySchema): TemplateParam['type'] {
  if (schema.enum) return 'choice';
  if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean') return schema.type;
  // A union (a command as a string or a list of words, dilations as "1,2,4" or a list) is typed as text.
  return 'string';
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The contracts export name of a template's params schema (the generated docs' key). */
function schemaName(template: TemplateDescriptor): string {
  const found = Object.entries(contracts).find(([, value]) => value === template.params);
  return found?.[0] ?? '';
}

/** A param left undocumented in its schema (`batchSize`) takes the comment another template gives it. */
function docElsewhere(name: string): string | null {
  for (const docs of Object.values(TEMPLATE_PARAM_DOCS)) if (docs[name]) return docs[name];
  return null;
}
