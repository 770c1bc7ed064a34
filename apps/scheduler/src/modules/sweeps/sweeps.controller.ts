import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { SweepDetail, SweepList, SweepSummary } from '@ablate/contracts';
import { SweepsService } from './sweeps.service.js';

@Controller('api/sweeps')
export class SweepsController {
  constructor(private readonly sweeps: SweepsService) {}

  @Post()
  create(@Body() body: unknown): Promise<SweepSummary> {
    return this.sweeps.create(body);
  }

  @Get()
  async list(): Promise<SweepList> {
    return { sweeps: await this.sweeps.list() };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<SweepDetail> {
    return this.sweeps.getDetail(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string): Promise<SweepSummary> {
    return this.sweeps.cancel(id);
  }
}
