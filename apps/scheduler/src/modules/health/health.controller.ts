import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

@Controller('api/health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async health(): Promise<{ ok: true; database: 'up' }> {
    await this.db.query('SELECT 1');
    return { ok: true, database: 'up' };
  }
}
