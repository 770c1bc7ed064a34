import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { SweepAnalysis } from '@ablate/contracts';
import type { Response } from 'express';
import { AnalysisService } from './analysis.service.js';
import { SweepDownloadService } from './sweep-download.service.js';

/** Chunks the file is written in, so a 10,000-row CSV goes out as it is sent, not as one buffer copy. */
const CHUNK_CHARS = 256 * 1024;

@Controller('api/sweeps')
export class AnalysisController {
  constructor(
    private readonly analysis: AnalysisService,
    private readonly downloads: SweepDownloadService,
  ) {}

  /** Importance, the ablation table, best-so-far and parallel-coordinates lines (SweepAnalysis). */
  @Get(':id/analysis')
  analyse(@Param('id') id: string): Promise<SweepAnalysis> {
    return this.analysis.analyse(id);
  }

  /** `?format=csv|json&group=trial|config|series` (series: CSV only, a row per metric point): the leaderboard as a file (`Content-Disposition: attachment`). */
  @Get(':id/download')
  async download(@Param('id') id: string, @Query('format') format: unknown, @Query('group') group: unknown, @Res() res: Response): Promise<void> {
    const file = await this.downloads.download(id, format, group);
    res.status(200);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    // The dashboard's origin reads the name (a cross-origin fetch sees only safelisted headers otherwise).
    res.setHeader('Access-Control-Expose-Headers', 'Content-Disposition');
    res.setHeader('Cache-Control', 'no-store');
    for (let i = 0; i < file.text.length; i += CHUNK_CHARS) {
      if (!res.write(file.text.slice(i, i + CHUNK_CHARS))) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
