import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn, InstantColumn } from '../../../infra/database/columns.js';

export type LotStatus = 'pending' | 'available' | 'cancelled';

/**
 * A batch of earned points with its own expiry. Spending takes from the lots that expire first; the expiry job
 * expires what is left of a lot. Pending lots (an order in its protection period) are not spendable yet.
 * The remaining points of available lots always add up to the account's balance.
 */
@Entity('points_lot')
@Index('idx_points_lot_member', ['memberId', 'status', 'expiresAt'])
@Index('idx_points_lot_expiry', ['status', 'expiresAt'])
@Index('idx_points_lot_release', ['status', 'availableAt'])
@Check('chk_points_lot_remaining', 'remaining >= 0 AND remaining <= amount')
export class PointsLot {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @BigIntColumn()
  amount!: number;

  @BigIntColumn()
  remaining!: number;

  /** Growth that comes with the points when a pending lot is released. */
  @BigIntColumn({ default: 0 })
  growth!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: LotStatus;

  /** Null: never expires. */
  @InstantColumn({ name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  /** When a pending lot becomes spendable. */
  @InstantColumn({ name: 'available_at' })
  availableAt!: Date;

  @Column({ name: 'source_type', type: 'varchar', length: 16 })
  sourceType!: string;

  @Column({ name: 'source_ref', type: 'varchar', length: 96, nullable: true })
  sourceRef!: string | null;

  /** Unique per cause, like the ledger's key: an order makes one lot. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 128, unique: true })
  idempotencyKey!: string;

  /** The brand-local date this lot's "expiring soon" notice went out for (once per lot). */
  @Column({ name: 'notice_sent_on', type: 'date', nullable: true })
  noticeSentOn!: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;
}
