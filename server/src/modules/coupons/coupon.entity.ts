import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { LifecycleStage } from '@huoyue/shared';
import { CreatedAtColumn, InstantColumn } from '../../infra/database/columns.js';

export type CouponKind = 'cash' | 'percent' | 'gift' | 'shipping';
export type CouponChannel = 'center' | 'issued' | 'reward' | 'mall';
export type CouponStatus = 'available' | 'used' | 'expired' | 'revoked';

/**
 * What staff define: the kind and value of a coupon, its validity, how many exist and per member, who may have it.
 * `issued` only grows, by a conditional UPDATE that refuses to pass `total_quantity`: the stock cannot oversell.
 */
@Entity('coupon_template')
@Check(
  'chk_coupon_template_issued',
  'issued >= 0 AND (total_quantity IS NULL OR issued <= total_quantity)',
)
export class CouponTemplate {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: CouponKind;

  /** cash: fen off; percent: percent off. */
  @Column({ type: 'int', default: 0 })
  value!: number;

  @Column({ type: 'int', default: 0 })
  threshold!: number;

  @Column({ type: 'int', nullable: true })
  cap!: number | null;

  @Column({ name: 'gift_name', type: 'varchar', length: 40, nullable: true })
  giftName!: string | null;

  /** 使用说明, shown to the member. */
  @Column({ type: 'varchar', length: 200, default: '' })
  description!: string;

  @Column({ name: 'validity_kind', type: 'varchar', length: 8 })
  validityKind!: 'fixed' | 'days';

  @InstantColumn({ name: 'valid_from', nullable: true })
  validFrom!: Date | null;

  @InstantColumn({ name: 'valid_to', nullable: true })
  validTo!: Date | null;

  @Column({ name: 'valid_days', type: 'int', nullable: true })
  validDays!: number | null;

  @Column({ name: 'total_quantity', type: 'int', nullable: true })
  totalQuantity!: number | null;

  @Column({ type: 'int', default: 0 })
  issued!: number;

  @Column({ name: 'per_member_limit', type: 'int', default: 1 })
  perMemberLimit!: number;

  @Column({ name: 'audience_tiers', type: 'simple-json' })
  audienceTiers!: string[];

  @Column({ name: 'audience_stages', type: 'simple-json' })
  audienceStages!: LifecycleStage[];

  @Column({ type: 'simple-json' })
  channels!: CouponChannel[];

  /** 适用门店: store codes where it may be verified; empty: every store. */
  @Column({ name: 'store_codes', type: 'simple-json', nullable: true })
  storeCodes!: string[] | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** A coupon a member holds. The code is unique and unguessable; status moves only by conditional UPDATEs. */
@Entity('coupon')
@Index('idx_coupon_member_status', ['memberId', 'status', 'validTo'])
@Index('idx_coupon_status_expiry', ['status', 'validTo'])
export class Coupon {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'template_id', type: 'int' })
  templateId!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: CouponStatus;

  @InstantColumn({ name: 'valid_from' })
  validFrom!: Date;

  @InstantColumn({ name: 'valid_to' })
  validTo!: Date;

  @Column({ type: 'varchar', length: 12 })
  source!: CouponChannel;

  /** What issued it, when something did (`mall:<redemption>:<n>`): cancelling that revokes the coupon. */
  @Column({ name: 'source_ref', type: 'varchar', length: 64, nullable: true })
  @Index('idx_coupon_source_ref')
  sourceRef!: string | null;

  @InstantColumn({ name: 'claimed_at' })
  claimedAt!: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_store_code', type: 'varchar', length: 32, nullable: true })
  usedStoreCode!: string | null;

  @Column({ name: 'used_order_no', type: 'varchar', length: 64, nullable: true })
  usedOrderNo!: string | null;

  @Column({ name: 'used_by_staff', type: 'int', nullable: true })
  usedByStaff!: number | null;

  @Column({ name: 'expiry_notice_sent', type: 'boolean', default: false })
  expiryNoticeSent!: boolean;
}

/** How many coupons of a template a member holds: the per-member limit is a conditional UPDATE of this row. */
@Entity('coupon_member_count')
export class CouponMemberCount {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @PrimaryColumn({ name: 'template_id', type: 'int' })
  templateId!: number;

  @Column({ type: 'int', default: 0 })
  n!: number;
}
