import { ApiError, ErrorCode, echo } from '@ablate/contracts';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The swagger-ui-dist files the page loads (besides our `init.js`); nothing else in the package is served. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const uiFolder = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The file behind `/api/docs/<name>` and its media type, or 404 for anything not listed. */
export function swaggerUiAsset(name: string): { file: string; mediaType: string } {
  const mediaType = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!mediaType) {
    throw new ApiError(ErrorCode.RouteNotFound, `No documentation asset "${echo(name)}"; open /api/docs.`);
  }
  return { file: path.join(uiFolder, name), mediaType };
}

/**
 * Starts Swagger UI on the document. A script file, not an inline one, so the page works under a
 * strict Content-Security-Policy. "Try it out" is limited to GET: the page's own origin sends an
 * `Origin` header with other methods, which the scheduler refuses unless listed in ABLATE_CORS_ORIGINS.
 */
export function swaggerUiInit(documentPath: string): string {
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(documentPath)},
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    supportedSubmitMethods: ['get'],
    validatorUrl: null,
    deepLinking: true,
  });
};
`;
}

/** The page; every file it loads is served by the scheduler itself, so it works offline. */
export function swaggerUiPage(uiPath: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Ablate scheduler API</title>
    <link rel="stylesheet" href="${uiPath}/swagger-ui.css" />
    <link rel="icon" type="image/png" href="${uiPath}/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${uiPath}/swagger-ui-bundle.js"></script>
    <script src="${uiPath}/swagger-ui-standalone-preset.js"></script>
    <script src="${uiPath}/init.js"></script>
  </body>
</html>
`;
}
