import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { packageVersion } from '@ablate/contracts/node';

/** This scheduler's version (its package's): what a bug report, or an operator mixing releases, should name. */
const version = packageVersion(import.meta.url, '@ablate/scheduler');

@Controller('api/health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async health(): Promise<{ ok: true; database: 'up'; version: string }> {
    await this.db.query('SELECT 1');
    return { ok: true, database: 'up', version };
  }
}
