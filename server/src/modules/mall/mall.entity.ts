import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, UpdatedAtColumn } from '../../infra/database/columns.js';

export type MallItemKind = 'coupon' | 'physical' | 'virtual';
export type CashRefundStatus = 'processing' | 'success' | 'abnormal' | 'closed';

export type RedemptionStatus =
  'pending_payment' | 'pending_shipment' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

/** Something in the points mall. Stock only moves by conditional UPDATEs and cannot go below zero (CHECK). */
@Entity('mall_item')
@Check('chk_mall_item_stock', 'stock >= 0')
export class MallItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: MallItemKind;

  @Column({ name: 'coupon_template_id', type: 'int', nullable: true })
  couponTemplateId!: number | null;

  @Column({ name: 'points_price', type: 'int' })
  pointsPrice!: number;

  @Column({ name: 'cash_price', type: 'int', default: 0 })
  cashPrice!: number;

  @Column({ type: 'int' })
  stock!: number;

  @Column({ name: 'per_member_limit', type: 'int', default: 1 })
  perMemberLimit!: number;

  @InstantColumn({ name: 'available_from', nullable: true })
  availableFrom!: Date | null;

  @InstantColumn({ name: 'available_to', nullable: true })
  availableTo!: Date | null;

  @Column({ type: 'simple-json' })
  tiers!: string[];

  @Column({ name: 'member_day_only', type: 'boolean', default: false })
  memberDayOnly!: boolean;

  @Column({ name: 'image_url', type: 'varchar', length: 500, nullable: true })
  imageUrl!: string | null;

  @Column({ type: 'varchar', length: 1000, default: '' })
  description!: string;

  /** Virtual items: 适用门店 where the voucher may be verified; empty or null: every store. */
  @Column({ name: 'store_codes', type: 'simple-json', nullable: true })
  storeCodes!: string[] | null;

  /** Virtual items: days a voucher stays valid after the redemption. */
  @Column({ name: 'voucher_days', type: 'int', default: 30 })
  voucherDays!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}

export type VoucherStatus = 'available' | 'used' | 'void';

/**
 * What a virtual item delivers: one voucher per unit, with an unguessable code the clerk scans. Its status moves
 * only by conditional UPDATEs (available → used once; available → void when the redemption is cancelled).
 */
@Entity('mall_voucher')
@Index('idx_mall_voucher_redemption', ['redemptionId'])
@Index('idx_mall_voucher_member', ['memberId', 'id'])
export class MallVoucher {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ name: 'redemption_id', type: 'int' })
  redemptionId!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'item_id', type: 'int' })
  itemId!: number;

  @Column({ type: 'varchar', length: 12 })
  status!: VoucherStatus;

  @InstantColumn({ name: 'valid_to' })
  validTo!: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_store_code', type: 'varchar', length: 32, nullable: true })
  usedStoreCode!: string | null;

  @Column({ name: 'used_by_staff', type: 'int', nullable: true })
  usedByStaff!: number | null;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** A member's redemption. `request_key` is unique: a retried tap redeems once. */
@Entity('mall_redemption')
@Index('idx_mall_redemption_member', ['memberId', 'id'])
@Index('idx_mall_redemption_payment', ['status', 'payBefore'])
export class MallRedemption {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'item_id', type: 'int' })
  itemId!: number;

  @Column({ name: 'request_key', type: 'varchar', length: 96, unique: true })
  requestKey!: string;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ name: 'points_spent', type: 'int' })
  pointsSpent!: number;

  @Column({ name: 'cash_due', type: 'int' })
  cashDue!: number;

  @Column({ type: 'varchar', length: 20 })
  status!: RedemptionStatus;

  @InstantColumn({ name: 'pay_before', nullable: true })
  payBefore!: Date | null;

  @Column({ name: 'payment_ref', type: 'varchar', length: 64, nullable: true })
  paymentRef!: string | null;

  /** The cash refund of a cancelled points + cash redemption (its out_refund_no): set once, never refunded twice. */
  @Column({ name: 'cash_refund_no', type: 'varchar', length: 64, nullable: true })
  cashRefundNo!: string | null;

  /** Where that refund stands at WeChat Pay: processing, then success, abnormal (staff act) or closed. */
  @Column({ name: 'cash_refund_status', type: 'varchar', length: 16, nullable: true })
  cashRefundStatus!: CashRefundStatus | null;

  @InstantColumn({ name: 'cash_refunded_at', nullable: true })
  cashRefundedAt!: Date | null;

  @Column({ type: 'simple-json', nullable: true })
  address!: { name: string; phone: string; address: string } | null;

  @Column({ name: 'tracking_no', type: 'varchar', length: 64, nullable: true })
  trackingNo!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}

/** How many of an item a member redeemed (cancelled ones given back): the per-member limit. */
@Entity('mall_member_count')
export class MallMemberCount {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @PrimaryColumn({ name: 'item_id', type: 'int' })
  itemId!: number;

  @Column({ type: 'int', default: 0 })
  n!: number;
}
