import type { PrunerSpec, SearchMethod, SweepSpec, SweepStatus } from '@ablate/contracts';
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

  /** Why it is paused, stopping, failed or cancelled (e.g. "stopped by alice (127.0.0.1)"). */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Actor of its `created` event. */
  @Column({ name: 'launched_by', type: 'text', nullable: true })
  launchedBy: string | null;

  @Column({ type: 'text', default: 'grid' })
  method: SearchMethod;

  /** The search strategy's state (`SearchState`); null until the first refill after it was created by an older release. */
  @Column({ name: 'sweep_state', type: 'jsonb', nullable: true })
  sweepState: { proposed: number; rng: number[] } | null;

  /** The trial budget (`maxTrials`, perhaps raised since creation); null for an uncapped grid. */
  @Column({ name: 'max_trials', type: 'int', nullable: true })
  maxTrials: number | null;

  /** Trials the sweep makes in all: `maxTrials`, for a grid at most the grid. */
  @Column({ name: 'trial_budget', type: 'int' })
  trialBudget: number;

  @Column({ name: 'max_concurrent', type: 'int', nullable: true })
  maxConcurrent: number | null;

  @Column({ name: 'max_failures', type: 'int', nullable: true })
  maxFailures: number | null;

  @Column({ type: 'jsonb', nullable: true })
  pruner: PrunerSpec | null;

  // Trials per status, kept in step with every status change (see countMoves in sweeps/sweep-rows.ts).
  @Column({ name: 'queued_count', type: 'int', default: 0 })
  queuedCount: number;

  @Column({ name: 'leased_count', type: 'int', default: 0 })
  leasedCount: number;

  @Column({ name: 'running_count', type: 'int', default: 0 })
  runningCount: number;

  @Column({ name: 'paused_count', type: 'int', default: 0 })
  pausedCount: number;

  @Column({ name: 'completed_count', type: 'int', default: 0 })
  completedCount: number;

  @Column({ name: 'pruned_count', type: 'int', default: 0 })
  prunedCount: number;

  @Column({ name: 'failed_count', type: 'int', default: 0 })
  failedCount: number;

  @Column({ name: 'cancelled_count', type: 'int', default: 0 })
  cancelledCount: number;
}
