import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, IntegerColumn } from '../database/columns.js';

/**
 * The outbox of domain events. A row is written in the same transaction as the change it announces,
 * so an event is never lost when the process dies between commit and delivery; handlers are idempotent.
 */
@Entity('domain_event')
@Index('idx_domain_event_pending', ['dispatchedAt', 'id'])
export class DomainEventRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text' })
  payload!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ name: 'dispatched_at', nullable: true })
  dispatchedAt!: Date | null;

  /** Set by the instance that claimed the row for redelivery; another may take it after this instant. */
  @InstantColumn({ name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  @IntegerColumn()
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}
