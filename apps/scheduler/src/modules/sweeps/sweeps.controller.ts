import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { SweepListQuery, UpdateSweepRequest, type SweepDetail, type SweepEventList, type SweepList, type SweepSummary } from '@ablate/contracts';
import { ZodBody, ZodQuery } from '../../common/zod-body.pipe.js';
import { LeaderboardService } from '../leaderboard/leaderboard.service.js';
import { Actor } from './actor.js';
import { SweepSteeringService } from './sweep-steering.service.js';
import { SweepsService } from './sweeps.service.js';

@Controller('api/sweeps')
export class SweepsController {
  constructor(
    private readonly sweeps: SweepsService,
    private readonly steering: SweepSteeringService,
    private readonly leaderboard: LeaderboardService,
  ) {}

  @Post()
  create(@Body() body: unknown, @Actor() actor: string): Promise<SweepSummary> {
    return this.sweeps.create(body, actor);
  }

  /** One page of sweeps, newest first (`offset`, `limit` up to 200, `project`), with the total for paging. */
  @Get()
  list(@Query(new ZodQuery(SweepListQuery)) query: SweepListQuery): Promise<SweepList> {
    return this.sweeps.list(query);
  }

  /** Every trial, ranked (CLI, export checks); `?top=N` only the N best, read by the leaderboard index. */
  @Get(':id')
  get(@Param('id') id: string, @Query('top') top: unknown): Promise<SweepDetail> {
    return top === undefined ? this.sweeps.getDetail(id) : this.leaderboard.snapshotFromQuery(id, top);
  }

  /** Who did what to the sweep, and when; oldest first. */
  @Get(':id/events')
  events(@Param('id') id: string): Promise<SweepEventList> {
    return this.sweeps.listEvents(id);
  }

  /** Raises `maxTrials` of an unfinished sweep. */
  @Patch(':id')
  update(@Param('id') id: string, @Body(new ZodBody(UpdateSweepRequest)) body: UpdateSweepRequest, @Actor() actor: string): Promise<SweepSummary> {
    return this.steering.update(id, body, actor);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string, @Actor() actor: string): Promise<SweepSummary> {
    return this.steering.pause(id, actor);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string, @Actor() actor: string): Promise<SweepSummary> {
    return this.steering.resume(id, actor);
  }

  @Post(':id/stop')
  @HttpCode(200)
  stop(@Param('id') id: string, @Actor() actor: string): Promise<SweepSummary> {
    return this.steering.stop(id, actor);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string, @Actor() actor: string): Promise<SweepSummary> {
    return this.steering.cancel(id, actor);
  }
}
