import type { EarnBreakdown } from '@huoyue/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LedgerType } from '@huoyue/shared';
import { BigIntColumn, InstantColumn, JsonTextColumn } from '../../../infra/database/columns.js';

/**
 * The points ledger: one immutable row per change of a member's balance or growth. Never updated, never deleted
 * (a closed membership keeps its rows as anonymous accounting). `idempotency_key` is unique: the same cause
 * (an order, a check-in, a request id) can move a balance only once, whatever retries or races happen.
 */
@Entity('points_entry')
@Index('idx_points_entry_member', ['memberId', 'id'])
@Index('idx_points_entry_source', ['sourceType', 'sourceRef'])
@Index('idx_points_entry_created', ['createdAt'])
export class PointsEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'varchar', length: 16 })
  type!: LedgerType;

  /** Signed change of the spendable balance. */
  @BigIntColumn()
  points!: number;

  /** Signed change of growth. */
  @BigIntColumn({ default: 0 })
  growth!: number;

  @BigIntColumn({ name: 'balance_after' })
  balanceAfter!: number;

  @BigIntColumn({ name: 'growth_after' })
  growthAfter!: number;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128, unique: true })
  idempotencyKey!: string;

  /** What caused it: order, refund, mall, checkin, badge, staff, import, expiry, tier. */
  @Column({ name: 'source_type', type: 'varchar', length: 16 })
  sourceType!: string;

  @Column({ name: 'source_ref', type: 'varchar', length: 96, nullable: true })
  sourceRef!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  /** For entries that created a lot: when those points expire. */
  @InstantColumn({ name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  /** For order earnings: how the figure was reached (base, tier multiplier, bonuses, cap). */
  @JsonTextColumn()
  breakdown!: EarnBreakdown | null;

  @Column({ name: 'staff_id', type: 'int', nullable: true })
  staffId!: number | null;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;
}
