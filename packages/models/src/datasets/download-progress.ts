import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';

/** Reports download progress: a bar on an interactive terminal, else a log line every 10%. */
export interface DownloadProgress {
  start(total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

export function downloadProgress(label: string, log?: (line: string) => void): DownloadProgress {
  if (!log && process.stderr.isTTY) {
    // Required here, not at the top: only a download on a terminal draws a bar.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} MB`, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    const mb = (n: number) => Math.round(n / 1e5) / 10;
    return {
      start: (total, done) => bar.start(mb(total), mb(done)),
      update: (done) => bar.update(mb(done)),
      stop: () => bar.stop(),
    };
  }
  const write = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let total = 0;
  let lastDecile = -1;
  return {
    start(t, done) {
      total = t;
      write(`${label}: ${done > 0 ? `resuming at ${done} of ` : 'downloading '}${t > 0 ? `${t} bytes` : 'unknown size'}`);
    },
    update(done) {
      if (total <= 0) return;
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        write(`${label}: ${decile * 10}%`);
      }
    },
    stop: () => write(`${label}: done`),
  };
}
