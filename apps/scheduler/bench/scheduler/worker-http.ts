import http from 'node:http';

/**
 * Kept-alive connections for every simulated worker: the load generator shares two cores with the
 * scheduler and PostgreSQL, and fetch cost it about twice the CPU per request (bench:load).
 */
const agent = new http.Agent({ keepAlive: true });

/** What a worker call answered: the status and the JSON body (null when there was none). */
export interface Answer<T> {
  status: number;
  body: T | null;
}

function send(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * POSTs JSON and parses the answer. A kept-alive connection the server closed as idle fails on
 * reuse; leases and reports are safe to send once more (a report is idempotent, a lease that the
 * server never received took nothing), as the real agent does after a network error.
 */
export async function postJson<T>(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Answer<T>> {
  const text = JSON.stringify(body ?? {});
  const res = await send(url, headers, text).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNRESET') return send(url, headers, text);
    throw err;
  });
  return { status: res.status, body: res.text ? (JSON.parse(res.text) as T) : null };
}

/** The error code of a refused call (`code` of the API error body), else the HTTP status. */
export function refusalCode(answer: Answer<unknown>): string {
  const code = (answer.body as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : `http ${answer.status}`;
}
