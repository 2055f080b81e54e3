import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../infra/database/columns.js';

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

  @Column({ type: 'int' })
  amount!: number;

  @Column({ name: 'points_reversed', type: 'int' })
  pointsReversed!: number;

  @Column({ name: 'growth_reversed', type: 'int' })
  growthReversed!: number;

  @Column({ name: 'points_owed', type: 'int' })
  pointsOwed!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
