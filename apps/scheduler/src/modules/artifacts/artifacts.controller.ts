import { Controller, Delete, Get, Param, Put, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { CHECKPOINT_MEDIA_TYPE, CHECKPOINT_STEP_HEADER, type CheckpointInfo, type CheckpointRemoval } from '@ablate/contracts';
import type { Request, Response } from 'express';
import { WorkerAuthGuard } from '../../common/worker-auth.guard.js';
import { AuthenticatedWorker, WorkerIdentityGuard } from '../../common/worker-identity.guard.js';
import { ArtifactsService, type CheckpointDownload } from './artifacts.service.js';

/** A trial's checkpoint in the scheduler's artifact store: workers holding the trial write and read it, users download it. */
@Controller('api/trials')
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  /** Body: the checkpoint folder as a gzipped tar; its step in `x-ablate-checkpoint-step`. */
  @Put(':id/checkpoint')
  @UseGuards(WorkerAuthGuard, WorkerIdentityGuard)
  upload(@AuthenticatedWorker() workerId: string, @Param('id') id: string, @Req() req: Request): Promise<CheckpointInfo> {
    return this.artifacts.upload(workerId, id, {
      body: req,
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      contentLength: req.headers['content-length'],
      step: req.header(CHECKPOINT_STEP_HEADER),
    });
  }

  @Get(':id/checkpoint')
  @UseGuards(WorkerAuthGuard, WorkerIdentityGuard)
  async download(@AuthenticatedWorker() workerId: string, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return send(await this.artifacts.download(workerId, id), res);
  }

  @Delete(':id/checkpoint')
  @UseGuards(WorkerAuthGuard, WorkerIdentityGuard)
  remove(@AuthenticatedWorker() workerId: string, @Param('id') id: string): Promise<CheckpointRemoval> {
    return this.artifacts.remove(workerId, id);
  }

  /** The trial page's download: the latest checkpoint as a `.tar.gz` file. */
  @Get(':id/checkpoint/download')
  async userDownload(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const found = await this.artifacts.downloadForUser(id);
    return send(found, res, `trial-${found.info.trialId}-step-${found.info.step}.tar.gz`);
  }
}

function send({ info, stream }: CheckpointDownload, res: Response, fileName?: string): StreamableFile {
  res.setHeader(CHECKPOINT_STEP_HEADER, String(info.step));
  res.setHeader('etag', `"${info.sha256}"`);
  return new StreamableFile(stream, { type: CHECKPOINT_MEDIA_TYPE, length: info.bytes, ...(fileName ? { disposition: `attachment; filename="${fileName}"` } : {}) });
}
