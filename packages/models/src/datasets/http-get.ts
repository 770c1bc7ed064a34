import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

/**
 * GET with redirects. node:http rather than fetch: when a connection breaks, a web stream drops
 * the chunks it had queued, while an IncomingMessage hands over every byte that arrived, which
 * a resumable download needs.
 */
export function get(url: string, headers: Record<string, string>, signal?: AbortSignal, redirects = 5): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsGet : httpGet)(url, { headers, signal }, (res) => {
      const location = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        if (redirects === 0) return reject(new Error(`too many redirects (last: ${location})`));
        return resolve(get(new URL(location, url).toString(), headers, signal, redirects - 1));
      }
      resolve(res);
    });
    request.on('error', reject);
  });
}

/**
 * Hands every chunk of `res` to `onChunk` as it arrives (flowing mode, so that each byte received
 * before a broken connection has been handled), and settles when the body ends or breaks.
 */
export function receiveBody(res: IncomingMessage, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    res.on('data', onChunk);
    res.on('end', resolve);
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('connection aborted')));
  });
}
