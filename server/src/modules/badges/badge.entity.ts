import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { BadgeMetric } from '@huoyue/shared';
import { BigIntColumn, CreatedAtColumn, InstantColumn } from '../../infra/database/columns.js';

/** A badge staff defined: what it measures and the threshold of each level (one threshold: a one-off badge). */
@Entity('badge')
export class Badge {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ name: 'artwork_url', type: 'varchar', length: 500, nullable: true })
  artworkUrl!: string | null;

  @Column({ type: 'varchar', length: 200, default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 16 })
  metric!: BadgeMetric;

  @Column({ type: 'simple-json' })
  thresholds!: number[];

  @Column({ name: 'reward_points', type: 'int', default: 0 })
  rewardPoints!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** A level of a badge a member holds. Unique per member, badge and level: awarded once, whatever the races. */
@Entity('member_badge')
@Index('uq_member_badge', ['memberId', 'badgeId', 'level'], { unique: true })
@Index('idx_member_badge_trigger', ['memberId', 'triggerRef'])
export class MemberBadge {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'badge_id', type: 'int' })
  badgeId!: number;

  @Column({ type: 'int' })
  level!: number;

  @InstantColumn({ name: 'awarded_at' })
  awardedAt!: Date;

  /** What earned it (`checkin:<member>:<day>`, `order:<no>`, `backfill:<run>`). */
  @Column({ name: 'trigger_ref', type: 'varchar', length: 96 })
  triggerRef!: string;
}

/**
 * The facts badge rules read, per member, kept by the badges module from domain events (it does not read other
 * modules' tables). Each event is applied once: its key goes into `member_stat_event` in the same transaction.
 */
@Entity('member_stat')
export class MemberStat {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'int', default: 0 })
  checkins!: number;

  @Column({ name: 'best_streak', type: 'int', default: 0 })
  bestStreak!: number;

  @Column({ type: 'int', default: 0 })
  purchases!: number;

  /** Fen. */
  @BigIntColumn({ default: 0 })
  spend!: number;

  @Column({ type: 'int', default: 0 })
  redemptions!: number;

  @Column({ name: 'coupons_used', type: 'int', default: 0 })
  couponsUsed!: number;

  @Column({ name: 'member_days', type: 'int', default: 0 })
  memberDays!: number;

  @Column({ name: 'tier_rank', type: 'int', default: 0 })
  tierRank!: number;

  @InstantColumn({ name: 'joined_at', nullable: true })
  joinedAt!: Date | null;

  /** The facts of a member no event has touched yet. */
  static empty(memberId: number): MemberStat {
    return Object.assign(new MemberStat(), {
      memberId,
      checkins: 0,
      bestStreak: 0,
      purchases: 0,
      spend: 0,
      redemptions: 0,
      couponsUsed: 0,
      memberDays: 0,
      tierRank: 0,
      joinedAt: null,
    });
  }
}

@Entity('member_stat_event')
export class MemberStatEvent {
  @PrimaryColumn({ name: 'event_key', type: 'varchar', length: 128 })
  eventKey!: string;
}
