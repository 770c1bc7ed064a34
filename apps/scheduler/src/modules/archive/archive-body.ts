import { ApiError, ErrorCode, SWEEP_ARCHIVE_MEDIA_TYPE, echo } from '@ablate/contracts';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Largest archive the import route reads (after gunzip). The API's JSON body limit is 100 kB, far
 * below a large sweep: 10,000 trials with 4 metrics over 20 epochs is ~50 MB of archive. V8 cannot
 * hold a string much beyond 512 MB, and parsing needs several times the text in memory.
 */
export const ARCHIVE_BODY_LIMIT = 256 * 1024 * 1024;

const SEND_AS = `Send the archive as Content-Type: ${SWEEP_ARCHIVE_MEDIA_TYPE} (UTF-8), uncompressed or with Content-Encoding: gzip (\`ablate sweep import\` does).`;

/**
 * The archive in an import request. Archives come in the archive media type, which the JSON body
 * parser leaves alone, so this route reads them itself up to its own, larger limit; a small archive
 * sent as plain `application/json` arrives already parsed.
 */
export async function readArchiveBody(req: Request): Promise<unknown> {
  const [mediaType = '', ...params] = (req.headers['content-type'] ?? '').split(';').map((s) => s.trim().toLowerCase());
  if (mediaType === 'application/json') return req.body as unknown;
  if (mediaType !== SWEEP_ARCHIVE_MEDIA_TYPE) {
    throw new ApiError(ErrorCode.UnsupportedMediaType, `Content-Type "${echo(mediaType)}" is not an archive. ${SEND_AS}`);
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new ApiError(ErrorCode.UnsupportedMediaType, `Charset "${echo(charset)}" is not supported. ${SEND_AS}`);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') throw new ApiError(ErrorCode.UnsupportedMediaType, `Content-Encoding "${echo(encoding)}" is not supported. ${SEND_AS}`);
  if (Number(req.headers['content-length'] ?? 0) > ARCHIVE_BODY_LIMIT) throw tooLarge();
  const text = decodeUtf8(await readAll(encoding === 'gzip' ? req.pipe(createGunzip()) : req, req));
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiError(ErrorCode.ValidationFailed, `The archive is not valid JSON (${echo((err as Error).message)}); send the file \`ablate sweep export\` wrote.`);
  }
}

/** Every byte of `stream` (the request, or the gunzip behind it), refusing past the limit. */
async function readAll(stream: Readable, req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > ARCHIVE_BODY_LIMIT) {
        req.unpipe();
        req.resume(); // drain the rest so the client reads our answer instead of a reset
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const gzip = (err as { code?: string }).code?.startsWith('Z_');
    throw new ApiError(ErrorCode.ValidationFailed, gzip ? 'The archive is not valid gzip; send it uncompressed or gzipped whole.' : 'The upload broke off before the archive arrived; send it again.');
  }
  return Buffer.concat(chunks, size);
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(ErrorCode.ValidationFailed, `The archive is not valid UTF-8. ${SEND_AS}`);
  }
}

function tooLarge(): ApiError {
  return new ApiError(ErrorCode.PayloadTooLarge, `The archive is larger than ${ARCHIVE_BODY_LIMIT / 1024 / 1024} MB uncompressed, the most one import reads.`);
}
