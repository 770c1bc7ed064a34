import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { DatasetError } from './dataset-error.js';
import { downloadProgress } from './download-progress.js';
import { get, receiveBody } from './http-get.js';

export interface DownloadOptions {
  url: string;
  /** Final path; the download goes to `<dest>.part` until its checksum is verified. */
  dest: string;
  /** Expected MD5 (hex) of the whole file. */
  md5: string;
  /** Network attempts before giving up; each one resumes where the last stopped. */
  attempts?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Downloads `url` to `dest`, resuming a broken or earlier partial download with an HTTP Range
 * request (restarting when the server ignores it), and verifies the MD5 before moving the file
 * into place. A checksum mismatch discards the partial file and downloads once more from scratch.
 */
export async function downloadFile(o: DownloadOptions): Promise<void> {
  const part = `${o.dest}.part`;
  const attempts = o.attempts ?? 4;
  let restartedAfterBadChecksum = false;
  for (let attempt = 1; ; attempt++) {
    try {
      await fetchInto(o, part);
    } catch (err) {
      if (o.signal?.aborted || attempt >= attempts) {
        throw new DatasetError(o.url, `download failed after ${attempt} attempt(s): ${(err as Error).message}`, 'dataset_missing', true);
      }
      o.log?.(`${o.url}: ${(err as Error).message}; retrying (attempt ${attempt + 1} of ${attempts})`);
      continue;
    }
    const actual = await md5Of(part);
    if (actual === o.md5.toLowerCase()) break;
    await rm(part, { force: true });
    if (restartedAfterBadChecksum) {
      throw new DatasetError(o.url, `checksum mismatch: expected MD5 ${o.md5}, got ${actual} (the file was discarded)`, 'dataset_corrupt', true);
    }
    restartedAfterBadChecksum = true;
    o.log?.(`${o.url}: checksum mismatch (got ${actual}); downloading again from scratch`);
  }
  await rename(part, o.dest);
}

async function fetchInto(o: DownloadOptions, part: string): Promise<void> {
  const have = await stat(part).then((s) => s.size, () => 0);
  const res = await get(o.url, have > 0 ? { Range: `bytes=${have}-` } : {}, o.signal);
  const status = res.statusCode ?? 0;
  if (status === 416 && have > 0) {
    res.resume();
    return; // the partial file is already complete
  }
  if (status < 200 || status >= 300) {
    res.resume();
    throw new Error(`HTTP ${status} ${res.statusMessage ?? ''}`.trim());
  }
  const resumed = status === 206;
  if (have > 0 && !resumed) o.log?.(`${o.url}: the server ignored the Range request; restarting the download`);
  const length = Number(res.headers['content-length'] ?? 0);
  const start = resumed ? have : 0;
  const progress = downloadProgress(o.url.split('/').pop() ?? o.url, o.log);
  progress.start(length > 0 ? start + length : 0, start);
  let done = start;
  // Each chunk is written synchronously as it arrives (flowing mode), so every byte received
  // before a broken connection is on disk for the next attempt's Range request; an async
  // iterator or a pipe would drop chunks still buffered when the error arrives.
  const fd = openSync(part, resumed ? 'a' : 'w');
  try {
    await receiveBody(res, (chunk) => {
      writeSync(fd, chunk);
      progress.update((done += chunk.length));
    });
  } finally {
    progress.stop();
    closeSync(fd);
  }
  if (length > 0 && done !== start + length) throw new Error(`connection closed after ${done} of ${start + length} bytes`);
}

/** MD5 (hex) of a file, streamed. */
export async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
