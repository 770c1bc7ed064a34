import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { downloadProgress } from '../datasets/download-progress.js';
import { get, receiveBody } from '../datasets/http-get.js';

/** A file downloaded to a temporary name beside its final one; the caller renames it into place once verified. */
export interface DownloadedFile {
  temp: string;
  sha256: string;
  bytes: number;
}

/** An HTTP answer that was not a success: not worth retrying unless it is a 5xx. */
export class HttpStatusError extends Error {
  constructor(readonly status: number, statusText: string) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }
}

/**
 * GET `url` into `<dest>.<pid>.<random>.part`, hashing as it streams, with a progress line per 10%
 * (a bar on a terminal). A failure removes the partial file and rethrows with the cause.
 */
export async function downloadToTemp(url: string, dest: string, label: string, log?: (line: string) => void, signal?: AbortSignal): Promise<DownloadedFile> {
  const temp = `${dest}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const res = await get(url, {}, signal);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      res.resume();
      throw new HttpStatusError(status, res.statusMessage ?? '');
    }
    const total = Number(res.headers['content-length'] ?? 0);
    const progress = downloadProgress(label, log);
    progress.start(total, 0);
    const out = createWriteStream(temp);
    try {
      await receiveBody(res, (chunk) => {
        hash.update(chunk);
        out.write(chunk);
        progress.update((bytes += chunk.length));
      });
    } finally {
      progress.stop();
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    if (total > 0 && bytes !== total) throw new Error(`connection closed after ${bytes} of ${total} bytes`);
    return { temp, sha256: hash.digest('hex'), bytes };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** The cause of a failed download in a few words: `ENOTFOUND (getaddrinfo ENOTFOUND host)`, `HTTP 404 Not Found`. */
export function describeCause(err: unknown): string {
  if (err instanceof HttpStatusError) return err.message;
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code;
  const message = e.message || String(err);
  return code && !message.startsWith(code) ? `${code} (${message})` : message;
}

/** Whether trying the same URL again may help: network failures and 5xx answers, not 4xx. */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof HttpStatusError) || err.status >= 500;
}
