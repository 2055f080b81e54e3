import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn, UpdatedAtColumn } from '../../../infra/database/columns.js';

/**
 * A member's balances: the running totals of the ledger (`points_entry`), kept beside it so a spend can be one
 * conditional UPDATE. The database refuses a negative balance (CHECK), so no code path can overdraw it.
 */
@Entity('points_account')
@Check('chk_points_account_balance', 'balance >= 0')
@Check('chk_points_account_growth', 'growth >= 0')
@Check('chk_points_account_pending', 'pending >= 0')
@Check('chk_points_account_owed', 'owed >= 0')
export class PointsAccount {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  /** Spendable points: the sum of the ledger's points, and of the remaining points of available lots. */
  @BigIntColumn({ default: 0 })
  balance!: number;

  @BigIntColumn({ default: 0 })
  growth!: number;

  /** Points earned by orders still in their protection period (not spendable, not in the ledger yet). */
  @BigIntColumn({ default: 0 })
  pending!: number;

  /** Points owed after a refund of points already spent: later earnings pay this first (clawback). */
  @BigIntColumn({ default: 0 })
  owed!: number;

  @UpdatedAtColumn()
  updatedAt!: Date;

  @Column({ type: 'int', default: 0 })
  version!: number;
}
