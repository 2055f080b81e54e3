import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { IntegerColumn, UpdatedAtColumn } from '../../infra/database/columns.js';

/**
 * A member's balances. The database refuses a negative balance (CHECK), so no code path can overdraw it.
 * The ledger that explains every change arrives with the points issue.
 */
@Entity('points_account')
@Check('chk_points_account_balance', 'balance >= 0')
@Check('chk_points_account_growth', 'growth >= 0')
export class PointsAccount {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @IntegerColumn()
  balance!: number;

  @IntegerColumn()
  growth!: number;

  @UpdatedAtColumn()
  updatedAt!: Date;

  @Column({ type: 'int', default: 0 })
  version!: number;
}
