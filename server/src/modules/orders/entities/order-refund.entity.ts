import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn, CreatedAtColumn } from '../../../infra/database/columns.js';

/** A refund of part or all of an order; `refund_no` is unique, so a retried refund applies once. */
@Entity('order_refund')
@Index('idx_order_refund_order', ['orderNo'])
export class OrderRefund {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'refund_no', type: 'varchar', length: 64, unique: true })
  refundNo!: string;

  @Column({ name: 'order_no', type: 'varchar', length: 64 })
  orderNo!: string;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @BigIntColumn()
  amount!: number;

  @BigIntColumn({ name: 'points_reversed' })
  pointsReversed!: number;

  @BigIntColumn({ name: 'growth_reversed' })
  growthReversed!: number;

  @BigIntColumn({ name: 'points_owed' })
  pointsOwed!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
