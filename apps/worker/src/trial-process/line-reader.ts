import type { Readable } from 'node:stream';

/** A line longer than this is cut into pieces (a program printing megabytes without a newline must not grow one string forever). */
export const MAX_LINE_CHARS = 8192;

/** Calls `onLine` for every line of `stream` (UTF-8, without the newline; a last unterminated line too) and resolves at its end. */
export function readLines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        emit(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
      while (pending.length > MAX_LINE_CHARS) {
        onLine(pending.slice(0, MAX_LINE_CHARS));
        pending = pending.slice(MAX_LINE_CHARS);
      }
    });
    const end = () => {
      if (pending) emit(pending);
      pending = '';
      resolve();
    };
    stream.on('end', end);
    stream.on('error', end);
    stream.on('close', end);
    function emit(line: string) {
      const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
      for (let i = 0; i < clean.length || i === 0; i += MAX_LINE_CHARS)
        onLine(clean.slice(i, i + MAX_LINE_CHARS));
    }
  });
}
