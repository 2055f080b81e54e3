import type { LifecycleStage, MemberDaySchedule } from '@huoyue/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../infra/database/columns.js';

/** A recurring member day (会员日): when, for whom, and what it gives. */
@Entity('member_day')
export class MemberDay {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'simple-json' })
  schedule!: MemberDaySchedule;

  /** Brand-local HH:MM; the window is [start, end) on each occurrence's day. */
  @Column({ name: 'start_time', type: 'varchar', length: 5 })
  startTime!: string;

  @Column({ name: 'end_time', type: 'varchar', length: 5 })
  endTime!: string;

  @Column({ type: 'simple-json' })
  audience!: { tiers: string[]; stages: LifecycleStage[] };

  @Column({ type: 'simple-json' })
  benefits!: {
    pointsMultiplier: number;
    checkinBonusPoints: number;
    couponTemplateIds: number[];
    mallItemIds: number[];
  };

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}

export type OccurrenceStatus = 'scheduled' | 'started' | 'ended';

/** One day of a member day, scheduled ahead; it starts and ends once (conditional updates), whatever the instances. */
@Entity('member_day_occurrence')
@Index('uq_member_day_occurrence', ['memberDayId', 'day'], { unique: true })
@Index('idx_member_day_occurrence_due', ['status', 'startsAt'])
export class MemberDayOccurrence {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_day_id', type: 'int' })
  memberDayId!: number;

  @Column({ type: 'date' })
  day!: string;

  @InstantColumn({ name: 'starts_at' })
  startsAt!: Date;

  @InstantColumn({ name: 'ends_at' })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 10 })
  status!: OccurrenceStatus;
}

/**
 * A member of a member day's audience who took part on one of its dates (a purchase, a check-in, a redemption or a
 * coupon claim inside the window): one row per member day, date and member, whatever they did and how often.
 */
@Entity('member_day_participation')
@Index('uq_member_day_participation', ['memberDayId', 'day', 'memberId'], { unique: true })
export class MemberDayParticipation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_day_id', type: 'int' })
  memberDayId!: number;

  @Column({ type: 'date' })
  day!: string;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  /** What they did first: purchase, checkin, redemption, coupon_claim. */
  @Column({ type: 'varchar', length: 16 })
  via!: string;

  @InstantColumn({ name: 'first_at' })
  firstAt!: Date;
}
