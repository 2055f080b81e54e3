import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, UpdatedAtColumn } from '../../infra/database/columns.js';

/**
 * One check-in: a member and a brand-local day. The unique (member_id, day) is what makes "once a day" true under
 * any concurrency. IP and device are kept to investigate farming.
 */
@Entity('checkin')
@Index('uq_checkin_member_day', ['memberId', 'day'], { unique: true })
@Index('idx_checkin_day', ['day'])
@Index('idx_checkin_ip_time', ['ip', 'checkedAt'])
@Index('idx_checkin_device_day', ['deviceId', 'day'])
export class Checkin {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'date' })
  day!: string;

  @InstantColumn({ name: 'checked_at' })
  checkedAt!: Date;

  /** daily, or makeup (a missed day made up later). */
  @Column({ type: 'varchar', length: 8 })
  kind!: 'daily' | 'makeup';

  /** Consecutive days ending with this one. */
  @Column({ type: 'int' })
  streak!: number;

  /** Position in the reward cycle (1..cycleDays). */
  @Column({ name: 'cycle_day', type: 'int' })
  cycleDay!: number;

  @Column({ type: 'int' })
  points!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'device_id', type: 'varchar', length: 64, nullable: true })
  deviceId!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** Per-member check-in preferences and makeup cards. */
@Entity('checkin_member')
@Check('chk_checkin_member_cards', 'makeup_cards >= 0')
export class CheckinMember {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  /** Wants the daily reminder (a subscribe message, sent by the messaging module within consent). */
  @Column({ type: 'boolean', default: false })
  reminder!: boolean;

  @Column({ name: 'makeup_cards', type: 'int', default: 0 })
  makeupCards!: number;

  @UpdatedAtColumn()
  updatedAt!: Date;
}

/**
 * The check-in limits, kept by the database (infra/database/limit-counter.ts): makeups per member per month (scope
 * `makeup`, subject the member id, period YYYY-MM) and members per device per day (scope `device`, subject the
 * device id, period YYYY-MM-DD). Each slot is taken in the transaction that writes the check-in it allows.
 */
@Entity('checkin_limit')
export class CheckinLimit {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  scope!: 'makeup' | 'device';

  @PrimaryColumn({ type: 'varchar', length: 64 })
  subject!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  period!: string;

  @Column({ type: 'int', default: 0 })
  used!: number;
}
