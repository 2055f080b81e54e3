import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, IntegerColumn } from '../../../infra/database/columns.js';

/** A rung of the brand's tier ladder (普通, 银卡, 金卡, 钻石). Rules and benefits grow in the points issue. */
@Entity('tier')
export class Tier {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 32 })
  name!: string;

  /** Position on the ladder, 0 = entry tier. */
  @IntegerColumn()
  rank!: number;

  @IntegerColumn({ name: 'growth_threshold' })
  growthThreshold!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
