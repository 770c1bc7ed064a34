import type { GpuDevice, WorkerTelemetry } from '@ablate/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A worker node that leases trials. */
@Entity({ name: 'workers' })
export class WorkerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  host: string;

  @Column({ type: 'int' })
  slots: number;

  @Column({ type: 'jsonb', default: [] })
  backends: string[];

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  @Column({ name: 'last_heartbeat_at', type: 'timestamptz' })
  lastHeartbeatAt: Date;

  /** SHA-256 of the secret handed out at registration; null for workers registered before secrets existed. */
  @Column({ name: 'secret_hash', type: 'bytea', nullable: true, select: false })
  secretHash: Buffer | null;

  /** GPUs it registered (`index`, `name`, `memoryTotalMb`). */
  @Column({ type: 'jsonb', default: [] })
  gpus: GpuDevice[];

  @Column({ name: 'trials_per_gpu', type: 'int', default: 1 })
  trialsPerGpu: number;

  @Column({ name: 'cpu_slots', type: 'int', default: 0 })
  cpuSlots: number;

  /** Whether it runs command trials (migration 058). */
  @Column({ type: 'boolean', default: true })
  commands: boolean;

  /** Gauges and slots of its last heartbeat that carried them. */
  @Column({ type: 'jsonb', nullable: true })
  telemetry: WorkerTelemetry | null;

  /** The agent's release it registered with, NULL before the field (migration 061). */
  @Column({ type: 'text', nullable: true })
  version: string | null;
}
