import { Controller, Get, Param } from '@nestjs/common';
import type { TrialDetail } from '@ablate/contracts';
import { TrialDetailService } from './trial-detail.service.js';

@Controller('api/trials')
export class TrialDetailController {
  constructor(private readonly trials: TrialDetailService) {}

  /** A user route: the trial, its sweep, its runs (attempt and worker of each), error code and checkpoint. */
  @Get(':id')
  detail(@Param('id') id: string): Promise<TrialDetail> {
    return this.trials.detail(id);
  }
}
