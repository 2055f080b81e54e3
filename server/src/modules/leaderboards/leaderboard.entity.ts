import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Leaderboard } from '@huoyue/shared';
import { BigIntColumn, CreatedAtColumn, InstantColumn } from '../../infra/database/columns.js';

/** A precomputed leaderboard row: the top of a board for a period, refreshed by a job, read by index. */
@Entity('leaderboard_entry')
@Index('idx_leaderboard_rank', ['board', 'period', 'rank'])
export class LeaderboardEntry {
  @PrimaryColumn({ type: 'varchar', length: 24 })
  board!: Leaderboard;

  /** YYYY-MM, brand-local. */
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period!: string;

  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'int' })
  rank!: number;

  @BigIntColumn()
  score!: number;

  @InstantColumn({ name: 'computed_at' })
  computedAt!: Date;
}

/** Members who chose not to appear on leaderboards (privacy settings). */
@Entity('leaderboard_optout')
export class LeaderboardOptout {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
