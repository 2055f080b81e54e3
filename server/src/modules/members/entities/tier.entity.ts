import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { z } from 'zod';
import type { tierBenefits } from '@huoyue/shared';

export type TierBenefits = z.output<typeof tierBenefits>;
import {
  BigIntColumn,
  CreatedAtColumn,
  IntegerColumn,
  JsonTextColumn,
} from '../../../infra/database/columns.js';

/**
 * A rung of the brand's tier ladder (普通, 银卡, 金卡, 钻石). Reached when growth passes `growthThreshold`; held for
 * `validityMonths` (0 = for good), kept for another period when the period's growth reaches `retentionGrowth`.
 */
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

  @BigIntColumn({ name: 'growth_threshold', default: 0 })
  growthThreshold!: number;

  @BigIntColumn({ name: 'retention_growth', default: 0 })
  retentionGrowth!: number;

  @IntegerColumn({ name: 'validity_months' })
  validityMonths!: number;

  /** Data the mini-program shows and other modules read: points multiplier, birthday coupon, free shipping, perks. */
  @JsonTextColumn()
  benefits!: TierBenefits | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
