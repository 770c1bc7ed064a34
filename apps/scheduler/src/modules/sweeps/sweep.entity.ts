import type { SweepSpec, SweepStatus } from '@ablate/contracts';
import { Column, Entity, Index, ManyToOne, JoinColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ProjectEntity } from '../projects/project.entity.js';

@Entity({ name: 'sweeps' })
@Index('sweeps_project_created_idx', ['projectId', 'createdAt'])
@Index('sweeps_live_idx', ['createdAt'], { where: `status IN ('queued', 'running')` })
export class SweepEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'project_id', type: 'uuid' })
  projectId: string;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  template: string;

  /** The validated spec, as created. */
  @Column({ type: 'jsonb' })
  spec: SweepSpec;

  @Column({ name: 'metric_name', type: 'text' })
  metricName: string;

  @Column({ name: 'metric_goal', type: 'text' })
  metricGoal: 'minimize' | 'maximize';

  @Column({ name: 'max_retries', type: 'int' })
  maxRetries: number;

  @Column({ type: 'text' })
  status: SweepStatus;

  @Column({ name: 'trial_count', type: 'int' })
  trialCount: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  // Trials per status, kept in step with every status change (see SweepCounts in trials/sweep-counts.ts).
  @Column({ name: 'queued_count', type: 'int', default: 0 })
  queuedCount: number;

  @Column({ name: 'leased_count', type: 'int', default: 0 })
  leasedCount: number;

  @Column({ name: 'running_count', type: 'int', default: 0 })
  runningCount: number;

  @Column({ name: 'completed_count', type: 'int', default: 0 })
  completedCount: number;

  @Column({ name: 'pruned_count', type: 'int', default: 0 })
  prunedCount: number;

  @Column({ name: 'failed_count', type: 'int', default: 0 })
  failedCount: number;

  @Column({ name: 'cancelled_count', type: 'int', default: 0 })
  cancelledCount: number;
}
