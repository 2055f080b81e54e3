import type { EarnBreakdown } from '@huoyue/shared';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import {
  BigIntColumn,
  CreatedAtColumn,
  InstantColumn,
  JsonTextColumn,
} from '../../../infra/database/columns.js';

export type OrderPointsStatus = 'none' | 'pending' | 'credited' | 'cancelled';

/**
 * A paid order from a POS, an e-commerce webhook, staff, or an import. `order_no` is unique: posting the same
 * order again answers the stored result (same body) or 409 (different body, told apart by `body_hash`).
 */
@Entity('orders')
// Covering for per-member purchase aggregates (the lifecycle refresh and rebuild read nothing else).
@Index('idx_orders_member_paid', ['memberId', 'paidAt', 'amount', 'refundedAmount'])
@Index('idx_orders_paid', ['paidAt'])
@Check('chk_orders_amounts', 'amount >= 0 AND refunded_amount >= 0 AND refunded_amount <= amount')
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'order_no', type: 'varchar', length: 64, unique: true })
  orderNo!: string;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  /** Fen. */
  @BigIntColumn()
  amount!: number;

  @BigIntColumn({ name: 'refunded_amount', default: 0 })
  refundedAmount!: number;

  @InstantColumn({ name: 'paid_at' })
  paidAt!: Date;

  @Column({ name: 'store_code', type: 'varchar', length: 32, nullable: true })
  storeCode!: string | null;

  /** api, integration, import */
  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  /** SHA-256 of the canonical request, to tell a replay from a conflicting order under the same number. */
  @Column({ name: 'body_hash', type: 'varchar', length: 64, nullable: true })
  bodyHash!: string | null;

  @BigIntColumn({ default: 0 })
  points!: number;

  @BigIntColumn({ default: 0 })
  growth!: number;

  @Column({ name: 'points_status', type: 'varchar', length: 16, default: 'none' })
  pointsStatus!: OrderPointsStatus;

  @InstantColumn({ name: 'points_available_at', nullable: true })
  pointsAvailableAt!: Date | null;

  @BigIntColumn({ name: 'points_reversed', default: 0 })
  pointsReversed!: number;

  @BigIntColumn({ name: 'growth_reversed', default: 0 })
  growthReversed!: number;

  @JsonTextColumn()
  breakdown!: EarnBreakdown | null;

  /** Items and coupon codes as sent (coupons are consumed by the coupons module). */
  @JsonTextColumn()
  details!: {
    items?: { sku: string; name: string; qty: number; amount: number }[];
    couponCodes?: string[];
  } | null;

  @Column({ name: 'import_id', type: 'int', nullable: true })
  importId!: number | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
