import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns.js';

/** One row per scheduled job: who holds it and until when, so several server instances run each job once. */
@Entity('job_lease')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  owner!: string | null;

  @InstantColumn({ name: 'lease_until' })
  leaseUntil!: Date;

  @InstantColumn({ name: 'last_run_at', nullable: true })
  lastRunAt!: Date | null;

  @Column({ name: 'last_result', type: 'varchar', length: 200, nullable: true })
  lastResult!: string | null;
}
