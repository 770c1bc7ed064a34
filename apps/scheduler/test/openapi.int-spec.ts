import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Document = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
type RouteLayer = { route?: { path: string; methods: Record<string, boolean> } };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every route Nest registered on the express app, as `METHOD /path/{param}`. */
function registeredRoutes(s: TestScheduler): string[] {
  const express = s.app.getHttpAdapter().getInstance() as { router: { stack: RouteLayer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`)
      : [],
  );
}

describe('OpenAPI document at /api/openapi.json and its offline UI at /api/docs', () => {
  let s: TestScheduler;
  let doc: Document;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    const res = await fetch(`${s.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
  });
  afterAll(async () => s.close());

  it('documents every route Nest registered, and nothing that is not served', () => {
    const routes = registeredRoutes(s);
    expect(routes.length).toBeGreaterThan(15);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(
      routes.filter((r) => !documented.includes(r)),
      'registered but not documented',
    ).toEqual([]);
    expect(
      documented.filter((r) => !routes.includes(r)),
      'documented but not registered',
    ).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('gives every operation a success schema (but for the UI files) and ApiErrorBody for every error status', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const responses = Object.entries(op.responses ?? {});
        const success = responses.filter(([status]) => status.startsWith('2'));
        expect(success.length, `${method} ${p}`).toBe(1);
        if (!p.includes('{asset}'))
          expect(Object.values(success[0]![1].content ?? {})[0]?.schema, `${method} ${p}`).toBeDefined();
        for (const [status, response] of responses.filter(([st]) => !st.startsWith('2'))) {
          expect(response.content?.['application/json']?.schema, `${method} ${p} ${status}`).toEqual({
            $ref: '#/components/schemas/ApiErrorBody',
          });
        }
      }
    }
    // Worker routes say which credentials they need; a spec body is the SweepSpec contract.
    expect(doc.paths['/api/workers/{id}/lease']!.post).toMatchObject({
      security: [{ workerToken: [], workerIdentity: [] }],
    });
    expect(doc.paths['/api/sweeps']!.post).toMatchObject({
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/SweepSpec' } } },
      },
    });
    expect(doc.components.schemas.SweepSpec).toMatchObject({ type: 'object', additionalProperties: false });
  });

  it('serves a UI that loads nothing from elsewhere, and only the files it needs', async () => {
    const page = await fetch(`${s.url}/api/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/api/docs/swagger-ui-bundle.js',
        '/api/docs/swagger-ui.css',
        '/api/docs/init.js',
      ]),
    );
    for (const asset of assets) {
      const res = await fetch(`${s.url}${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    const init = await (await fetch(`${s.url}/api/docs/init.js`)).text();
    expect(init).toContain('"/api/openapi.json"');

    for (const name of ['package.json', '..%2F..%2Fpackage.json', 'swagger-ui-bundle.js.map', 'index.html']) {
      const res = await fetch(`${s.url}/api/docs/${name}`);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'route_not_found' });
    }
  });
});
