import {
  cacheMaxBytes, formatBytes, parseAge, parseCacheKind, removeCacheEntries, scanCache, selectCacheEntries, type CacheKind,
} from '@ablate/models/cache';
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { cacheJson, cacheTable, describeCount, describeEntry } from '../lib/cache-report.js';
import { guarded } from '../lib/cli-context.js';

interface ClearFlags {
  kind?: string;
  olderThan?: string;
  yes?: boolean;
}

/** Asks on the terminal; anything but y / yes is a no. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function list(flags: { json?: boolean }): Promise<void> {
  const maxBytes = cacheMaxBytes();
  const { root, kinds } = await scanCache();
  if (flags.json) {
    console.log(JSON.stringify(cacheJson(root, maxBytes, kinds), null, 2));
    return;
  }
  console.log(cacheTable(kinds, Date.now()));
  console.log(
    `\nCache root: ${root} (ABLATE_CACHE_DIR, else ABLATE_HOME, else ~/.cache/ablate). Each kind is kept under ${formatBytes(maxBytes)} ` +
      '(ABLATE_CACHE_MAX_GB): a write past it removes that kind\'s least recently used entries first. Free space with `ablate cache clear`.',
  );
}

async function clear(flags: ClearFlags): Promise<void> {
  const kinds: CacheKind[] | undefined = flags.kind === undefined ? undefined : [parseCacheKind(flags.kind)];
  const olderThanMs = flags.olderThan === undefined ? undefined : parseAge(flags.olderThan);
  const now = Date.now();
  const picked = await selectCacheEntries({ kinds, olderThanMs, nowMs: now });
  const which = `${kinds ? `${kinds[0]} ` : ''}cache entries${flags.olderThan ? ` unused for more than ${flags.olderThan}` : ''}`;
  if (picked.length === 0) {
    console.log(`Nothing to remove: no ${which}.`);
    return;
  }
  if (!flags.yes && process.stdin.isTTY) {
    if (!(await confirm(`Remove ${describeCount(picked)}: the ${which}?`))) {
      console.log('Nothing removed.');
      return;
    }
  }
  const { removed, kept } = await removeCacheEntries(picked);
  for (const e of removed) console.log(`removed ${describeEntry(e, now)}`);
  for (const e of kept) console.error(`could not remove ${e.path} (open in another program, or no permission); it stays`);
  const freed = removed.reduce((n, e) => n + e.bytes, 0);
  console.log(`Removed ${removed.length} ${removed.length === 1 ? 'entry' : 'entries'}, freed ${formatBytes(freed)}.`);
}

/** `ablate cache list` and `ablate cache clear`: what the worker's caches hold on this machine, and freeing it. */
export function registerCacheCommands(program: Command): void {
  const cache = program
    .command('cache')
    .description('The caches of this machine: downloaded extractor models, decoded image folders, extracted features.');

  cache
    .command('list')
    .description('Entries, size and least recent use of each kind of cache entry (models, decoded, features).')
    .option('--json', 'print every entry as JSON instead of the table')
    .action(guarded(list));

  cache
    .command('clear')
    .description('Remove cache entries (all, or of one kind, or unused for longer than an age); what is removed is recomputed when next needed.')
    .option('--kind <kind>', 'only this kind: models, decoded or features')
    .option('--older-than <age>', 'only entries unused for longer than this: 30d, 12h, 90m, 2w')
    .option('-y, --yes', 'do not ask on a terminal')
    .action(guarded(clear));
}
