import type { LifecycleStage, RfmSegment } from '@huoyue/shared';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn, CreatedAtColumn, InstantColumn } from '../../infra/database/columns.js';

/** The per-member purchase and interaction facts both the kept aggregates and an as-of rebuild hold. */
abstract class PurchaseFacts {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  /** First and last purchase day (a day with an order not fully refunded). */
  @Column({ name: 'first_dn', type: 'int', nullable: true })
  firstDn!: number | null;

  @Column({ name: 'last_dn', type: 'int', nullable: true })
  lastDn!: number | null;

  /** Distinct purchase days (the BG/NBD transactions). */
  @Column({ name: 'purchase_days', type: 'int', default: 0 })
  purchaseDays!: number;

  /** Purchase days and net spend after the RFM window's start. */
  @Column({ name: 'win_days', type: 'int', default: 0 })
  winDays!: number;

  @BigIntColumn({ name: 'win_spend', default: 0 })
  winSpend!: number;

  @Column({ name: 'last_interaction_dn', type: 'int', nullable: true })
  lastInteractionDn!: number | null;
}

/**
 * Per-member purchase aggregates, kept current at order time (refreshed from the member's orders on every order,
 * refund, import and merge), plus what the last recompute decided. Days are day numbers: brand-local dates as days
 * since 1970-01-01, so ages are plain integer subtraction in both SQL dialects.
 */
@Entity('member_lifecycle')
@Index('idx_member_lifecycle_segment', ['segment'])
export class MemberLifecycle extends PurchaseFacts {
  /** Net spend in fen, all time (the window's is win_spend, counted after lifecycle_state.window_from_dn). */
  @BigIntColumn({ default: 0 })
  spend!: number;

  @Column({ name: 'low_frequency', type: 'boolean', default: false })
  lowFrequency!: boolean;

  @Column({ name: 'at_risk', type: 'boolean', default: false })
  atRisk!: boolean;

  @Column({ type: 'smallint', nullable: true })
  r!: number | null;

  @Column({ type: 'smallint', nullable: true })
  f!: number | null;

  @Column({ type: 'smallint', nullable: true })
  m!: number | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  segment!: RfmSegment | null;

  /** Bumped by every refresh, so a recompute that started earlier does not overwrite fresher facts. */
  @Column({ type: 'int', default: 0 })
  version!: number;
}

/** One row: the RFM window's start and how far interactions have been folded in. Its row lock orders writers. */
@Entity('lifecycle_state')
export class LifecycleState {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  /** win_days / win_spend count purchase days after this day number. */
  @Column({ name: 'window_from_dn', type: 'int' })
  windowFromDn!: number;

  /** Interactions up to this day number are folded into member_lifecycle. */
  @Column({ name: 'interactions_dn', type: 'int' })
  interactionsDn!: number;

  @Column({ name: 'last_recompute_day', type: 'date', nullable: true })
  lastRecomputeDay!: string | null;

  @InstantColumn({ name: 'last_recompute_at', nullable: true })
  lastRecomputeAt!: Date | null;
}

/** Every stage change: who, from, to, as of which day, and why (purchase, recompute, join, merge). */
@Entity('lifecycle_transition')
@Index('idx_lifecycle_transition_member', ['memberId', 'id'])
@Index('idx_lifecycle_transition_day', ['day'])
export class LifecycleTransition {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'from_stage', type: 'varchar', length: 16 })
  fromStage!: LifecycleStage;

  @Column({ name: 'to_stage', type: 'varchar', length: 16 })
  toStage!: LifecycleStage;

  /** The brand-local day the change is as of. */
  @Column({ type: 'date' })
  day!: string;

  @Column({ type: 'varchar', length: 16 })
  cause!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** Members per stage per recompute day: the dashboard's "members by stage over time". */
@Entity('lifecycle_snapshot')
export class LifecycleSnapshot {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  stage!: LifecycleStage;

  @Column({ type: 'int' })
  members!: number;
}

/**
 * A recompute's working set (one recompute at a time, under the job lease): the decision per member before it is
 * applied.
 */
@Entity('lifecycle_scratch')
export class LifecycleScratch {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'stage_old', type: 'varchar', length: 16 })
  stageOld!: LifecycleStage;

  @Column({ name: 'stage_new', type: 'varchar', length: 16 })
  stageNew!: LifecycleStage;

  @Column({ type: 'smallint', nullable: true })
  r!: number | null;

  @Column({ type: 'smallint', nullable: true })
  f!: number | null;

  @Column({ type: 'smallint', nullable: true })
  m!: number | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  segment!: RfmSegment | null;

  @Column({ name: 'low_frequency', type: 'boolean' })
  lowFrequency!: boolean;

  @Column({ name: 'at_risk', type: 'boolean' })
  atRisk!: boolean;

  @Column({ name: 'at_risk_old', type: 'boolean' })
  atRiskOld!: boolean;

  /** member_lifecycle.version when computed (-1: the member had no row). */
  @Column({ type: 'int' })
  version!: number;
}

/** Aggregates rebuilt from the order history up to a past as-of date (backfill and what-if). */
@Entity('lifecycle_history_agg')
export class LifecycleHistoryAgg extends PurchaseFacts {}

/** A fitted churn model (BG/NBD or MBG/NBD), time in days. The latest per model is used. */
@Entity('lifecycle_model')
@Index('idx_lifecycle_model_latest', ['model', 'id'])
export class LifecycleModel {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 8 })
  model!: 'bgnbd' | 'mbgnbd';

  @Column({ type: 'double' })
  r!: number;

  @Column({ type: 'double' })
  alpha!: number;

  @Column({ type: 'double' })
  a!: number;

  @Column({ type: 'double' })
  b!: number;

  @Column({ name: 'log_likelihood', type: 'double' })
  logLikelihood!: number;

  @Column({ type: 'int' })
  members!: number;

  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column({ name: 'fit_ms', type: 'int' })
  fitMs!: number;

  @CreatedAtColumn('fitted_at')
  fittedAt!: Date;
}
