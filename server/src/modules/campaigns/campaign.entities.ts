import type { AutomationTrigger, LifecycleStage, RfmSegment } from '@huoyue/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../infra/database/columns.js';

/** Trigger → conditions → actions, with a control group and what counts as a conversion. */
@Entity('automation')
export class Automation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  /** The playbook it was installed from, if any. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  playbook!: string | null;

  @Column({ type: 'simple-json' })
  trigger!: AutomationTrigger;

  @Column({ type: 'simple-json' })
  conditions!: {
    tiers: string[];
    stages: LifecycleStage[];
    segments: RfmSegment[];
    lowFrequency: boolean | null;
  };

  @Column({ type: 'simple-json' })
  actions!: { couponTemplateId: number | null; points: number; messageTemplateIds: number[] };

  @Column({ name: 'dedupe_days', type: 'int' })
  dedupeDays!: number;

  @Column({ name: 'control_percent', type: 'int' })
  controlPercent!: number;

  @Column({ type: 'simple-json' })
  conversion!: { kind: 'purchase' | 'checkin'; days: number };

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}

/**
 * A member qualifying for an automation: in the treatment group (actions taken) or the control group (recorded,
 * nothing sent). Unique per dedupe window, so a replayed trigger enrols once.
 */
@Entity('automation_enrollment')
@Index('uq_enrollment_window', ['automationId', 'memberId', 'windowKey'], { unique: true })
@Index('idx_enrollment_member_open', ['memberId', 'convertedAt'])
export class AutomationEnrollment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'automation_id', type: 'int' })
  automationId!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'varchar', length: 10 })
  grp!: 'treatment' | 'control';

  /** The dedupe window (day number ÷ dedupeDays) the member entered in. */
  @Column({ name: 'window_key', type: 'int' })
  windowKey!: number;

  @InstantColumn({ name: 'enrolled_at' })
  enrolledAt!: Date;

  /** First purchase or check-in (as configured) within the conversion window. */
  @InstantColumn({ name: 'converted_at', nullable: true })
  convertedAt!: Date | null;

  /** Why the actions could not be taken (coupon sold out…); null when they were, or for the control group. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  error!: string | null;
}
