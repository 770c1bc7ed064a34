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
}
