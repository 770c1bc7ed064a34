import { Controller, Get } from '@nestjs/common';
import { templates, type TemplateDescriptor, type TemplateList } from '@ablate/contracts';
import type { z } from 'zod';
import { templateParams } from './template-params.js';

/** Default params of a template; for templates with required params, the defaults of the rest. */
function defaultsOf(schema: z.ZodType<Record<string, unknown>>): Record<string, unknown> {
  const whole = schema.safeParse({});
  if (whole.success) return whole.data;
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.fromEntries(
    Object.entries(shape).flatMap(([key, field]) => {
      const r = field.safeParse(undefined);
      return r.success && r.data !== undefined ? [[key, r.data]] : [];
    }),
  );
}

@Controller('api/templates')
export class TemplatesController {
  /** Built-in templates with their default params and knobs, for the launch form and the CLI. */
  @Get()
  list(): TemplateList {
    return {
      templates: Object.values(templates).map((t: TemplateDescriptor) => ({
        name: t.name,
        description: t.description,
        defaults: defaultsOf(t.params),
        metrics: t.metrics,
        ...templateParams(t),
      })),
    };
  }
}
