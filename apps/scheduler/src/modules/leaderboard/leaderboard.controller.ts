import { Controller, Get, Param, Query } from '@nestjs/common';
import type { LeaderboardPage } from '@ablate/contracts';
import { LeaderboardService } from './leaderboard.service.js';

@Controller('api/sweeps')
export class LeaderboardController {
  constructor(private readonly leaderboard: LeaderboardService) {}

  /** `?offset&limit&sort&status&group&config` (LeaderboardQuery): one page, ranked by the database. */
  @Get(':id/leaderboard')
  page(@Param('id') id: string, @Query() query: unknown): Promise<LeaderboardPage> {
    return this.leaderboard.page(id, query);
  }
}
