import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LifecycleStage } from '@huoyue/shared';
import {
  CreatedAtColumn,
  InstantColumn,
  UpdatedAtColumn,
} from '../../../infra/database/columns.js';

export type MemberStatus = 'visitor' | 'member' | 'closed' | 'merged';
export type MemberSource = 'wechat' | 'offline';

/**
 * One person known to the brand: a WeChat visitor, a member with a card, or an offline customer
 * (imported or from a POS) who has not opened the mini-program yet.
 */
@Entity('member')
@Index('idx_member_nickname', ['nickname'])
@Index('idx_member_unionid', ['unionid'])
@Index('idx_member_tier_expiry', ['tierExpiresAt'])
// The staff list pages newest first (id descending) within each filter.
@Index('idx_member_status_id', ['status', 'id'])
@Index('idx_member_stage_id', ['stage', 'id'])
@Index('idx_member_tier_id', ['tierCode', 'id'])
@Index('idx_member_home_store_id', ['homeStoreCode', 'id'])
@Index('idx_member_joined_at', ['joinedAt'])
export class Member {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 64, nullable: true, unique: true })
  openid!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid!: string | null;

  @Column({ name: 'card_no', type: 'varchar', length: 20, nullable: true, unique: true })
  cardNo!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  nickname!: string | null;

  /** Mainland mobile number without country code. Unique: one person, one phone. */
  @Column({ type: 'varchar', length: 20, nullable: true, unique: true })
  phone!: string | null;

  @Column({ type: 'date', nullable: true })
  birthday!: string | null;

  /** The member's own picture, a small data URL (≤ 48,000 characters; the app scales it to 160 px). */
  @Column({ type: 'text', nullable: true })
  avatar!: string | null;

  /** The brand's own customer id from an old CRM or POS (imports match on it). */
  @Column({ name: 'external_ref', type: 'varchar', length: 64, nullable: true, unique: true })
  externalRef!: string | null;

  @Column({ type: 'varchar', length: 16 })
  stage!: LifecycleStage;

  @Column({ type: 'varchar', length: 16 })
  status!: MemberStatus;

  @Column({ type: 'varchar', length: 16, default: 'wechat' })
  source!: MemberSource;

  @Column({ name: 'tier_code', type: 'varchar', length: 32, nullable: true })
  tierCode!: string | null;

  /** 归属门店: the store of the member's first purchase in a store, set once (staff filter and export by it). */
  @Column({ name: 'home_store_code', type: 'varchar', length: 32, nullable: true })
  homeStoreCode!: string | null;

  /** When the current tier was reached or last retained; its period ends at tierExpiresAt (null: never). */
  @InstantColumn({ name: 'tier_since', nullable: true })
  tierSince!: Date | null;

  @InstantColumn({ name: 'tier_expires_at', nullable: true })
  tierExpiresAt!: Date | null;

  /** The period end for which "your tier is at risk" was sent, so it goes out once per period. */
  @InstantColumn({ name: 'tier_notice_for', nullable: true })
  tierNoticeFor!: Date | null;

  /** On the blacklist: earns no points from any path (orders, check-ins, badges) until staff lift it. */
  @Column({ name: 'earning_blocked', type: 'boolean', default: false })
  earningBlocked!: boolean;

  @Column({ name: 'merged_into_id', type: 'int', nullable: true })
  mergedIntoId!: number | null;

  @InstantColumn({ name: 'first_seen_at' })
  firstSeenAt!: Date;

  @InstantColumn({ name: 'joined_at', nullable: true })
  joinedAt!: Date | null;

  @InstantColumn({ name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
