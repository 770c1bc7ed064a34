import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

/** A static file server on 127.0.0.1 for download tests: counts requests per path; `/missing/...` answers 404. */
export interface ModelServer {
  url: string;
  requests: Map<string, number>;
  close(): Promise<void>;
}

export async function serveFolder(root: string): Promise<ModelServer> {
  const requests = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const file = join(root, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    stat(file).then(
      (s) => {
        res.writeHead(200, { 'content-length': s.size });
        createReadStream(file).pipe(res);
      },
      () => {
        res.writeHead(404, 'Not Found');
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
