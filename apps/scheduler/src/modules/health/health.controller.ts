import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createRequire } from 'node:module';
import type { DataSource } from 'typeorm';

/** This scheduler's version (its package's): what a bug report, or an operator mixing releases, should name. */
const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

@Controller('api/health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async health(): Promise<{ ok: true; database: 'up'; version: string }> {
    await this.db.query('SELECT 1');
    return { ok: true, database: 'up', version };
  }
}
