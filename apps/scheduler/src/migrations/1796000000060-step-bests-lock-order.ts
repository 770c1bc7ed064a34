import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `trial_step_bests` loses its foreign key to `sweeps` (its key to `trials` stays, and still deletes a
 * trial's bests with it, and so with its sweep). A median sweep's epoch report writes its trial and
 * its best in one statement without the sweep's row lock; the key's check then locked the sweep row
 * (KEY SHARE) at the end of that statement, after the trial's row: the reverse of the lock order
 * every writer keeps (sweep, then trials), and against a cancel or a follow-up holding the sweep
 * and reaching for the trial it deadlocked (test/lock-order.int-spec.ts).
 */
export class StepBestsLockOrder1796000000060 implements MigrationInterface {
  name = 'StepBestsLockOrder1796000000060';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trial_step_bests DROP CONSTRAINT IF EXISTS trial_step_bests_sweep_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE trial_step_bests ADD CONSTRAINT trial_step_bests_sweep_id_fkey FOREIGN KEY (sweep_id) REFERENCES sweeps(id) ON DELETE CASCADE`,
    );
  }
}
