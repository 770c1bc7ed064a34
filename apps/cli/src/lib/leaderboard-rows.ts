import type { ApiClient, ConfigurationRow, RankedTrial } from '@ablate/contracts';
import { Presets, SingleBar } from 'cli-progress';

/** Rows per leaderboard request: the most the scheduler serves in one page. */
const PAGE = 1000;

/** One leaderboard grouping: one row per trial, or per configuration over its repeat seeds. */
export type Grouping = 'trial' | 'config';

export type Rows<G extends Grouping> = G extends 'trial' ? RankedTrial[] : ConfigurationRow[];

/**
 * Every row of a sweep's leaderboard, ranked by the scheduler, read a page at a time (a
 * 10,000-trial sweep is 10 requests). More than one page moves a progress bar on stderr.
 */
export async function readLeaderboard<G extends Grouping>(
  api: ApiClient,
  sweepId: string,
  group: G,
): Promise<Rows<G>> {
  const rows: (RankedTrial | ConfigurationRow)[] = [];
  let bar: SingleBar | null = null;
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.getLeaderboard(sweepId, { offset, limit: PAGE, group });
    const batch = group === 'trial' ? page.trials : page.configurations;
    rows.push(...batch);
    if (!bar && page.total > PAGE) {
      bar = new SingleBar(
        {
          format: `reading the leaderboard {bar} {value}/{total} ${group === 'trial' ? 'trials' : 'configurations'}`,
          stream: process.stderr,
          noTTYOutput: true,
        },
        Presets.shades_classic,
      );
      bar.start(page.total, 0);
    }
    bar?.update(Math.min(rows.length, page.total));
    // A running sweep may grow while it is read; stop at the end of what the last page saw.
    if (batch.length < PAGE || rows.length >= page.total) break;
  }
  bar?.stop();
  return rows as Rows<G>;
}
