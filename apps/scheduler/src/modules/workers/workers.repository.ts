import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RegisterWorkerRequest } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { WorkerEntity } from './worker.entity.js';

/** The only place that reads and writes workers. */
@Injectable()
export class WorkersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  registerWorker(body: RegisterWorkerRequest, now: Date): Promise<WorkerEntity> {
    const repo = this.db.getRepository(WorkerEntity);
    return repo.save(repo.create({ ...body, registeredAt: now, lastHeartbeatAt: now }));
  }

  /** Records a heartbeat; false when the worker is unknown. */
  async touchWorker(id: string, now: Date): Promise<boolean> {
    const result = await this.db.getRepository(WorkerEntity).update({ id }, { lastHeartbeatAt: now });
    return (result.affected ?? 0) > 0;
  }

  exists(id: string): Promise<boolean> {
    return this.db.getRepository(WorkerEntity).existsBy({ id });
  }
}
