import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn, InstantColumn } from '../../../infra/database/columns.js';

/** Every tier change of a member, with why it happened. */
@Entity('tier_history')
@Index('idx_tier_history_member', ['memberId', 'at'])
export class TierHistory {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'from_tier', type: 'varchar', length: 32, nullable: true })
  fromTier!: string | null;

  @Column({ name: 'to_tier', type: 'varchar', length: 32 })
  toTier!: string;

  /** upgrade, downgrade, retained, import, staff */
  @Column({ type: 'varchar', length: 16 })
  reason!: string;

  /** Growth at the time, and growth earned in the period that just ended (for retention decisions). */
  @BigIntColumn()
  growth!: number;

  @BigIntColumn({ name: 'period_growth', nullable: true })
  periodGrowth!: number | null;

  @InstantColumn()
  at!: Date;
}
