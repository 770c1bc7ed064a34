import { Controller, Get } from '@nestjs/common';
import { templates, type TemplateList } from '@ablate/contracts';

@Controller('api/templates')
export class TemplatesController {
  /** Built-in templates with their default params, for the launch form and the CLI. */
  @Get()
  list(): TemplateList {
    return {
      templates: Object.values(templates).map((t) => ({
        name: t.name,
        description: t.description,
        defaults: t.params.parse({}),
        metrics: t.metrics,
      })),
    };
  }
}
