import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../../infra/database/columns.js';

/** A claim or redemption refused because WeChat ranked the user too risky: kept for staff to review. */
@Entity('risk_refusal')
@Index('idx_risk_refusal_at', ['at'])
export class RiskRefusal {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'varchar', length: 24 })
  action!: string;

  @Column({ type: 'int' })
  rank!: number;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp!: string | null;

  @InstantColumn()
  at!: Date;
}
