import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a worker node offers and shows (issue 9): the GPUs it uses (`[{ index, name, memoryTotalMb }]`),
 * how many trials share one GPU, its CPU slots, and the telemetry of its last heartbeat (CPU, RAM,
 * per-GPU gauges, what each slot runs), kept on the row as jsonb: one small row per node, written
 * by each heartbeat, read by `GET /api/workers`; no history is kept.
 *
 * A sweep's `resources.gpus` is not copied out of `sweeps.spec`: leasing reads it from the jsonb of
 * the few live sweeps it considers, which costs nothing next to the row lock it takes anyway.
 */
export class WorkerResources1796000000040 implements MigrationInterface {
  name = 'WorkerResources1796000000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers
      ADD COLUMN gpus jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN trials_per_gpu int NOT NULL DEFAULT 1,
      ADD COLUMN cpu_slots int NOT NULL DEFAULT 0,
      ADD COLUMN telemetry jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE workers DROP COLUMN telemetry, DROP COLUMN cpu_slots, DROP COLUMN trials_per_gpu, DROP COLUMN gpus`,
    );
  }
}
