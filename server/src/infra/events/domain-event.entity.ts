import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, IntegerColumn } from '../database/columns.js';

/**
 * The outbox of domain events. A row is written in the same transaction as the change it announces,
 * so an event is never lost when the process dies between commit and delivery; handlers are idempotent.
 * `dispatched_at` is set once every handler of the event has run successfully.
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

  /**
   * The set-based write that published the event (`EventBus.newBatch`), which drains it by this token: ids are
   * unique but not ordered across writers on a distributed database, so no "id > last seen" cursor. Null otherwise.
   */
  @Column({ type: 'varchar', length: 24, nullable: true })
  batch!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ name: 'dispatched_at', nullable: true })
  dispatchedAt!: Date | null;
}

/**
 * The delivery of one event to one handler (`Class.method`), for events not delivered in full right after commit:
 * a handler failed, or the process died first (the sweep writes the rows then). Each row is retried alone, with
 * backoff, claimed by a conditional UPDATE with a lease so any instance may run it; delivered rows are not run again.
 */
@Entity('domain_event_delivery')
@Index('idx_domain_event_delivery_due', ['deliveredAt', 'nextAttemptAt'])
export class DomainEventDelivery {
  @PrimaryColumn({ name: 'event_id', type: 'int' })
  eventId!: number;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  handler!: string;

  @IntegerColumn()
  attempts!: number;

  /** Not tried again before this instant (backoff after a failure); null: due now. */
  @InstantColumn({ name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  /** Set by the instance that claimed the row; another may take it after this instant (the lease). */
  @InstantColumn({ name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  @InstantColumn({ name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}
