import type { TrialErrorCode, TrialStatus } from '@ablate/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SweepEntity } from '../sweeps/sweep.entity.js';

@Entity({ name: 'trials' })
@Index('trials_sweep_index_uq', ['sweepId', 'index'], { unique: true })
@Index('trials_sweep_queue_idx', ['sweepId', 'index'], { where: `status = 'queued'` })
@Index('trials_lease_expiry_idx', ['leaseExpiresAt'], { where: `status IN ('leased', 'running')` })
@Index('trials_lease_owner_idx', ['leaseOwner'], { where: 'lease_owner IS NOT NULL' })
export class TrialEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'sweep_id', type: 'uuid' })
  sweepId: string;

  @ManyToOne(() => SweepEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sweep_id' })
  sweep?: SweepEntity;

  /** Position in the sweep's expansion. */
  @Column({ type: 'int' })
  index: number;

  @Column({ type: 'jsonb' })
  params: Record<string, unknown>;

  @Column({ type: 'text' })
  status: TrialStatus;

  @Column({ type: 'int', default: 1 })
  attempt: number;

  @Column({ name: 'lease_owner', type: 'uuid', nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  /** Last reported step. */
  @Column({ type: 'int', nullable: true })
  step: number | null;

  /** Latest value of each metric (the full history is in metric_points). */
  @Column({ type: 'jsonb', default: {} })
  metrics: Record<string, number>;

  /** Best value so far of the sweep's ranking metric. */
  @Column({ type: 'double precision', nullable: true })
  score: number | null;

  /** Step (epoch) the score comes from, whose weights the final metrics were measured on. Optional: rows built before it existed leave it out. */
  @Column({ name: 'score_step', type: 'int', nullable: true })
  scoreStep?: number | null;

  @Column({ type: 'text', nullable: true })
  backend: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** Code of the last failure (`TrialErrorCode`), null when none or the agent sent none. Optional: rows built before it existed leave it out. */
  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode?: TrialErrorCode | null;

  /** Why it is paused, pruned or cancelled. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  /** `configurationKey(params)`: the params without `seed`; a configuration's repeats share it. */
  @Column({ name: 'configuration_key', type: 'text' })
  configurationKey: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Bumped by every write that changes the trial's state; reports write with `WHERE revision = <what they read>`. */
  @Column({ type: 'int', default: 0 })
  revision: number;
}
