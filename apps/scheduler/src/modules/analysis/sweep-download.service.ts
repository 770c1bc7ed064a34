import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, configurationsCsv, leaderboardExport, seriesCsv, trialsCsv, type ConfigurationRow, type RankedTrial } from '@ablate/contracts';
import { ArchiveService } from '../archive/archive.service.js';
import { LeaderboardService } from '../leaderboard/leaderboard.service.js';

/** Rows per leaderboard read: the most one page serves. */
const PAGE = 1000;

/** A file to send: its name, media type and text. */
export interface Download {
  filename: string;
  contentType: string;
  text: string;
}

/**
 * The export buttons' files, in the formats of `ablate sweep export --format csv|json` (the same
 * functions from the contracts): every leaderboard row read a page at a time, ranked by the database.
 */
@Injectable()
export class SweepDownloadService {
  constructor(
    private readonly leaderboard: LeaderboardService,
    private readonly archive: ArchiveService,
  ) {}

  async download(sweepId: string, format: unknown, group: unknown): Promise<Download> {
    const fmt = format ?? 'csv';
    const grp = group ?? 'trial';
    if (fmt !== 'csv' && fmt !== 'json') throw invalid('format', 'give csv or json');
    if (grp !== 'trial' && grp !== 'config' && grp !== 'series') throw invalid('group', 'give trial (one row per trial), config (one per configuration over its seeds) or series (one per metric point)');
    // The JSON already carries every series; a second JSON shape would only be a subset of it.
    if (grp === 'series' && fmt !== 'csv') throw invalid('group', 'series is a CSV; the JSON (group=trial) already has every trial\'s series');
    const { sweep } = await this.leaderboard.snapshot(sweepId, 1);
    const base = `${sweep.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'sweep'}-${sweep.id.slice(0, 8)}`;
    if (grp === 'series') {
      const text = seriesCsv(await this.rows(sweepId, 'trial'), await this.archive.export(sweepId));
      return { filename: `${base}-series.csv`, contentType: 'text/csv; charset=utf-8', text };
    }
    if (fmt === 'csv') {
      const text = grp === 'config' ? configurationsCsv(await this.rows(sweepId, 'config'), sweep.metric.name) : trialsCsv(await this.rows(sweepId, 'trial'), sweep.metric.name);
      return { filename: `${base}-${grp === 'config' ? 'configurations' : 'trials'}.csv`, contentType: 'text/csv; charset=utf-8', text };
    }
    const trials = await this.rows(sweepId, 'trial');
    const configurations = await this.rows(sweepId, 'config');
    const json = leaderboardExport(sweep, trials, configurations, await this.archive.export(sweepId));
    return { filename: `${base}-leaderboard.json`, contentType: 'application/json; charset=utf-8', text: `${JSON.stringify(json)}\n` };
  }

  private async rows(sweepId: string, group: 'trial'): Promise<RankedTrial[]>;
  private async rows(sweepId: string, group: 'config'): Promise<ConfigurationRow[]>;
  private async rows(sweepId: string, group: 'trial' | 'config'): Promise<(RankedTrial | ConfigurationRow)[]> {
    const rows: (RankedTrial | ConfigurationRow)[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.leaderboard.page(sweepId, { offset: String(offset), limit: String(PAGE), group });
      const batch = group === 'trial' ? page.trials : page.configurations;
      rows.push(...batch);
      // A running sweep may grow while it is read: stop at the end of what the last page saw.
      if (batch.length < PAGE || rows.length >= page.total) return rows;
    }
  }
}

function invalid(path: string, message: string): ApiError {
  return new ApiError(ErrorCode.ValidationFailed, `The query is invalid. ${path}: ${message}`, [{ path, message }]);
}
