import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { SweepArchive, SweepSummary } from '@ablate/contracts';
import type { Request } from 'express';
import { readArchiveBody } from './archive-body.js';
import { ArchiveService } from './archive.service.js';

@Controller('api/sweeps')
export class ArchiveController {
  constructor(private readonly archive: ArchiveService) {}

  @Get(':id/export')
  export(@Param('id') id: string): Promise<SweepArchive> {
    return this.archive.export(id);
  }

  /** Body: the archive (`SWEEP_ARCHIVE_MEDIA_TYPE`, optionally gzipped); `?project=slug` files it under another project. */
  @Post('import')
  @HttpCode(201)
  async import(@Req() req: Request, @Query('project') project: unknown): Promise<SweepSummary> {
    return this.archive.import(await readArchiveBody(req), project);
  }
}
