import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { buildOpenApiDocument, OPENAPI_JSON_PATH, OPENAPI_UI_PATH } from './openapi.document.js';
import { swaggerUiAsset, swaggerUiInit, swaggerUiPage } from './swagger-ui.page.js';

/** The scheduler's version, from its package.json (same depth from src/ and dist/). */
function schedulerVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

/** Serves the OpenAPI document generated from the contracts and a Swagger UI for it, offline. */
@Controller('api')
export class OpenApiController {
  private document: ReturnType<typeof buildOpenApiDocument> | null = null;

  @Get('openapi.json')
  openapi(): ReturnType<typeof buildOpenApiDocument> {
    // Built on first use: ~60 kB of JSON from the zod schemas, the same for the life of the process.
    this.document ??= buildOpenApiDocument(schedulerVersion());
    return this.document;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return swaggerUiPage(OPENAPI_UI_PATH);
  }

  @Get('docs/:asset')
  asset(@Param('asset') name: string, @Res() res: Response): void {
    if (name === 'init.js') {
      res.type('text/javascript; charset=utf-8').send(swaggerUiInit(OPENAPI_JSON_PATH));
      return;
    }
    const { file, mediaType } = swaggerUiAsset(name);
    // The files change only with the package version: a day of caching spares reloads 1.5 MB.
    res.type(mediaType).setHeader('cache-control', 'public, max-age=86400');
    res.sendFile(file);
  }
}
