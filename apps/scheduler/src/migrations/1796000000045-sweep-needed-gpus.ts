import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sweeps.needed_gpus`: the GPUs each trial of the sweep needs (`spec.resources.gpus`, 0 when
 * absent), kept by PostgreSQL from the spec (a stored generated column: nothing to write, old rows
 * filled). Leasing reads it for every live sweep it considers, inside the sweep's row lock; read
 * from the jsonb, it cost ~0.5 ms per read on a 10,000-trial grid, whose spec (34 kB, compressed
 * out of line) must be fetched and decompressed whole first, and a lease read it twice
 * (bench:scheduler, figure 4).
 */
export class SweepNeededGpus1796000000045 implements MigrationInterface {
  name = 'SweepNeededGpus1796000000045';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE sweeps ADD COLUMN needed_gpus int GENERATED ALWAYS AS (COALESCE((spec->'resources'->>'gpus')::int, 0)) STORED`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sweeps DROP COLUMN needed_gpus`);
  }
}
