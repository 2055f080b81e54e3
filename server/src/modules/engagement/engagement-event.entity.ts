import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EngagementType } from '@huoyue/shared';
import { InstantColumn, JsonTextColumn } from '../../infra/database/columns.js';

/**
 * Append-only log of member actions. Indexed for the two questions the lifecycle engine asks:
 * "last event of type T for this member" (member_id, type, occurred_at) and "events per day" (day, type).
 */
@Entity('engagement_event')
@Index('idx_engagement_member_type_time', ['memberId', 'type', 'occurredAt'])
@Index('idx_engagement_day_type', ['day', 'type'])
@Index('uq_engagement_source', ['type', 'sourceRef'], { unique: true })
export class EngagementEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'varchar', length: 32 })
  type!: EngagementType;

  @InstantColumn({ name: 'occurred_at' })
  occurredAt!: Date;

  /** The brand-local calendar day of occurredAt, kept so per-day counts need no time zone math in SQL. */
  @Column({ type: 'date' })
  day!: string;

  @JsonTextColumn()
  properties!: Record<string, string | number | boolean | null> | null;

  /** What caused it (e.g. `order:NO123`), unique per type so a replayed action is logged once. */
  @Column({ name: 'source_ref', type: 'varchar', length: 96, nullable: true })
  sourceRef!: string | null;
}
