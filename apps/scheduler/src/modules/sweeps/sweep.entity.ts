import type { SweepSpec, SweepStatus } from '@ablate/contracts';
import { Column, Entity, Index, ManyToOne, JoinColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ProjectEntity } from '../projects/project.entity.js';

@Entity({ name: 'sweeps' })
@Index('sweeps_project_created_idx', ['projectId', 'createdAt'])
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
}
