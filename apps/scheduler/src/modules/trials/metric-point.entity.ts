import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TrialEntity } from './trial.entity.js';

/** One value of one metric at one step. The key makes a repeated report a no-op. */
@Entity({ name: 'metric_points' })
export class MetricPointEntity {
  @PrimaryColumn({ name: 'trial_id', type: 'uuid' })
  trialId: string;

  @PrimaryColumn({ type: 'text' })
  name: string;

  @PrimaryColumn({ type: 'int' })
  step: number;

  @ManyToOne(() => TrialEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'trial_id' })
  trial?: TrialEntity;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
