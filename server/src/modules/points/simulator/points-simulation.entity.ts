import type { SimulationProposal, SimulationResult } from '@huoyue/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, JsonTextColumn } from '../../../infra/database/columns.js';

export type SimulationStatus = 'queued' | 'running' | 'done' | 'failed';

/**
 * One run of the points rule simulator: the proposal, the window, how far the replay got and, once done, the
 * result. A run left `running` by a process that died (stale heartbeat) is run again from the start by the resume
 * job; its scratch rows are keyed by the run and cleared first.
 */
@Entity('points_simulation')
@Index('idx_points_simulation_status', ['status', 'heartbeatAt'])
export class PointsSimulation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SimulationStatus;

  @Column({ type: 'int', default: 0 })
  progress!: number;

  /** Brand-local dates, both included. */
  @Column({ name: 'window_from', type: 'varchar', length: 10 })
  windowFrom!: string;

  @Column({ name: 'window_to', type: 'varchar', length: 10 })
  windowTo!: string;

  @JsonTextColumn()
  proposal!: SimulationProposal;

  @JsonTextColumn()
  result!: SimulationResult | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  owner!: string | null;

  @InstantColumn({ name: 'heartbeat_at', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy!: number | null;

  @Column({ name: 'created_by_name', type: 'varchar', length: 64, nullable: true })
  createdByName!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  @InstantColumn({ name: 'applied_at', nullable: true })
  appliedAt!: Date | null;
}

/** Scratch: each member's tier over time (from the tier history), for the as-of join of a run. Cleared after it. */
@Entity('points_simulation_tier_span')
@Index('idx_points_simulation_tier_span', ['runId', 'memberId', 'validFrom'])
export class PointsSimulationTierSpan {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'run_id', type: 'int' })
  runId!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'tier_code', type: 'varchar', length: 32, nullable: true })
  tierCode!: string | null;

  /** The tier before this span (the history row's from-tier). */
  @Column({ name: 'prev_tier', type: 'varchar', length: 32, nullable: true })
  prevTier!: string | null;

  /** Null: since always. */
  @InstantColumn({ name: 'valid_from', nullable: true })
  validFrom!: Date | null;

  /** A minute after the change: orders processed before may have read the tier before it (see tierOf). */
  @InstantColumn({ name: 'settled_at', nullable: true })
  settledAt!: Date | null;

  /** Null: until now. */
  @InstantColumn({ name: 'valid_to', nullable: true })
  validTo!: Date | null;
}

/**
 * Scratch: the member-day windows of a run's window (computed from the schedules in Node), one row per audience
 * tier and stage (null: any), with today's and the proposal's multiplier and check-in bonus. Cleared after the run.
 */
@Entity('points_simulation_window')
@Index('idx_points_simulation_window', ['runId', 'startsAt'])
export class PointsSimulationWindow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'run_id', type: 'int' })
  runId!: number;

  @Column({ name: 'member_day_id', type: 'int' })
  memberDayId!: number;

  @InstantColumn({ name: 'starts_at' })
  startsAt!: Date;

  @InstantColumn({ name: 'ends_at' })
  endsAt!: Date;

  @Column({ name: 'tier_code', type: 'varchar', length: 32, nullable: true })
  tierCode!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  stage!: string | null;

  /** When the member day was created: orders processed before it had no bonus from it. */
  @InstantColumn({ name: 'defined_at' })
  definedAt!: Date;

  @Column({ name: 'actual_multiplier', type: 'double' })
  actualMultiplier!: number;

  @Column({ name: 'simulated_multiplier', type: 'double' })
  simulatedMultiplier!: number;
}
